package dev.qremote.fakemx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5: {@code @ExtendWith(FakeMxExtension.class)} hands each test a polite {@link SmtpServer} on
 * 127.0.0.1 and a free port (change its behaviour with {@link SmtpServer#script}), closed after the test.
 */
public final class FakeMxExtension implements ParameterResolver, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FakeMxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SmtpServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent("server", k -> {
            try {
                return SmtpServer.start(InetAddress.getLoopbackAddress(), 0, SmtpScript.polite());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, SmtpServer.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        SmtpServer server = context.getStore(NS).remove("server", SmtpServer.class);
        if (server != null) {
            server.close();
        }
    }
}
