package dev.qremote.fakemx;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.qremote.fakemx.tls.IssuedCertificate;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;

/**
 * A fake MTA-STS policy host (RFC 8461 3.3): HTTPS on one address and port with a certificate from the
 * test CA, answering GET /.well-known/mta-sts.txt with what the test set (status, media type, body),
 * anything else with 404. It remembers each request's Host header and the SNI name the client sent.
 */
public final class PolicyServer implements Closeable {
    /** What one request carried. */
    public record Request(String path, String host, String sni) {
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-policy-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String contentType = "text/plain";
    private volatile byte[] body = new byte[0];
    private volatile String location;

    private PolicyServer(HttpsServer server) {
        this.server = server;
    }

    /** Listens on {@code address}:{@code port} (0: any free port), presenting {@code certificate}. */
    public static PolicyServer start(InetAddress address, int port, IssuedCertificate certificate) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(address, port), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext(null)) {
            @Override
            public void configure(HttpsParameters params) {
                params.setNeedClientAuth(false);
            }
        });
        PolicyServer policy = new PolicyServer(server);
        server.createContext("/", policy::handle);
        server.setExecutor(policy.executor);
        server.start();
        return policy;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The answer to the policy's path from now on. */
    public PolicyServer answer(int status, String contentType, String body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body.getBytes(StandardCharsets.UTF_8);
        this.location = null;
        return this;
    }

    /** A 200 text/plain answer with {@code policy}. */
    public PolicyServer policy(String policy) {
        return answer(200, "text/plain", policy);
    }

    /** A redirect (301) to {@code target}. */
    public PolicyServer redirect(String target) {
        answer(301, "text/plain", "moved\n");
        this.location = target;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
        String sni = "";
        if (exchange instanceof HttpsExchange https && https.getSSLSession() instanceof ExtendedSSLSession session) {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = host.getAsciiName();
                }
            }
        }
        String path = exchange.getRequestURI().getPath();
        requests.add(new Request(path, String.valueOf(exchange.getRequestHeaders().getFirst("Host")), sni));
        boolean policyPath = path.equals("/.well-known/mta-sts.txt");
        int code = policyPath ? status : 404;
        byte[] content = policyPath ? body : "not found\n".getBytes(StandardCharsets.US_ASCII);
        exchange.getResponseHeaders().set("Content-Type", policyPath ? contentType : "text/plain");
        if (policyPath && location != null) {
            exchange.getResponseHeaders().set("Location", location);
        }
        exchange.sendResponseHeaders(code, content.length == 0 ? -1 : content.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(content);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
