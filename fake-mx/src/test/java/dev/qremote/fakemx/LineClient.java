package dev.qremote.fakemx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/** A minimal SMTP client for tests: a line out, a reply in; STARTTLS or implicit TLS with the JDK's client. */
final class LineClient implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    LineClient(InetSocketAddress address) throws IOException {
        attach(new Socket(address.getAddress(), address.getPort()));
    }

    private void attach(Socket s) throws IOException {
        socket = s;
        socket.setSoTimeout(5000);
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        out = s.getOutputStream();
    }

    /** The whole reply, lines joined with "\n". */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("closed");
            }
            all.append(all.length() > 0 ? "\n" : "").append(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return all.toString();
    }

    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Upgrades the connection: handshake as a client naming {@code serverName}, checking the host name. */
    SSLSocket tls(SSLContext context, String serverName) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        SSLParameters p = ssl.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(serverName)));
        p.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(p);
        ssl.startHandshake();
        attach(ssl);
        return ssl;
    }

    X509Certificate peer() throws IOException {
        return (X509Certificate) ((SSLSocket) socket).getSession().getPeerCertificates()[0];
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
