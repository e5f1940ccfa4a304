package dev.qremote.fakedns;

import java.net.InetAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(FakeDnsExtension.class)} hands each test a fresh {@link FakeDnsServer} on
 * 127.0.0.1 and a free port, closed after the test.
 */
public final class FakeDnsExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FakeDnsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FakeDnsServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("server", k -> {
            try {
                return FakeDnsServer.start(InetAddress.getLoopbackAddress(), 0);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, FakeDnsServer.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        FakeDnsServer server = context.getStore(NS).remove("server", FakeDnsServer.class);
        if (server != null) {
            server.close();
        }
    }
}
