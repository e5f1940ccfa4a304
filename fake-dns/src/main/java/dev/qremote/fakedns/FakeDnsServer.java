package dev.qremote.fakedns;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * An authoritative DNS server on one UDP and one TCP socket with the same port, for tests and benches.
 * Zones and faults can change while it runs; every question is logged. UDP answers larger than the
 * client can take (512 bytes, or its EDNS payload size) are sent truncated with TC set.
 */
public final class FakeDnsServer implements Closeable {
    static final int MAX_UDP_PAYLOAD = 1232;
    private static final long SLOW_MILLIS = 2000;

    private final Responder responder = new Responder();
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final List<Query> queries = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private volatile boolean closed;
    /** The UDP and TCP listeners' threads: the JDK frees a port only once the thread waiting on it has left. */
    private final List<Thread> listeners = new CopyOnWriteArrayList<>();

    private FakeDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
    }

    /** Starts on {@code address}; port 0 picks a free port (the same for UDP and TCP). */
    public static FakeDnsServer start(InetAddress address, int port) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port));
            try {
                ServerSocket tcp = new ServerSocket();
                tcp.setReuseAddress(true);
                tcp.bind(new InetSocketAddress(address, udp.getLocalPort()));
                FakeDnsServer server = new FakeDnsServer(udp, tcp);
                server.startThreads();
                return server;
            } catch (IOException e) {
                udp.close();
                last = e;
                if (port != 0) {
                    break;
                }
            }
        }
        throw last;
    }

    public InetSocketAddress address() {
        return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
    }

    public FakeDnsServer zone(FakeZone zone) {
        responder.add(zone);
        return this;
    }

    /** Makes questions for {@code name} and {@code type} (Type.ANY: every type) fail as {@code fault} says. */
    public FakeDnsServer fault(String name, int type, Fault fault) {
        faults.put(key(name(name), type), fault);
        return this;
    }

    /**
     * Pretends to be a validating resolver: answers from signed zones carry the AD bit (not checked against
     * any signature; the zone is trusted because it is signed). For clients that trust a local resolver's AD.
     */
    public FakeDnsServer actAsValidatingResolver(boolean on) {
        responder.actAsValidatingResolver(on);
        return this;
    }

    /** Serves exactly these zones from now on; faults and the query log stay. */
    public FakeDnsServer replaceZones(java.util.List<FakeZone> zones) {
        responder.clear();
        zones.forEach(responder::add);
        return this;
    }

    /** Forgets zones, faults and the query log. */
    public void reset() {
        responder.clear();
        faults.clear();
        queries.clear();
        exchanges.clear();
    }

    public List<Query> queries() {
        return List.copyOf(queries);
    }

    /** Every question with the answer it got, in the order the answers were made (for demos). */
    public List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** Stops serving; returns once the port is free again (within seconds), so a new server can take it. */
    @Override
    public void close() {
        closed = true;
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Thread listener : listeners) {
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void startThreads() {
        listeners.add(daemon("fake-dns-udp", this::serveUdp));
        listeners.add(daemon("fake-dns-tcp", this::acceptTcp));
    }

    private void serveUdp() {
        byte[] buffer = new byte[65535];
        while (!closed) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                udp.receive(packet);
            } catch (IOException e) {
                continue;
            }
            byte[] request = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
            InetSocketAddress client = (InetSocketAddress) packet.getSocketAddress();
            daemon("fake-dns-udp-answer", () -> answerUdp(request, client));
        }
    }

    private void answerUdp(byte[] request, InetSocketAddress client) {
        Optional<byte[]> reply = handle(request, false);
        if (reply.isEmpty()) {
            return;
        }
        try {
            udp.send(new DatagramPacket(reply.get(), reply.get().length, client));
        } catch (IOException ignored) {
            // the client is gone
        }
    }

    private void acceptTcp() {
        while (!closed) {
            try {
                Socket socket = tcp.accept();
                daemon("fake-dns-tcp-conn", () -> serveTcp(socket));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void serveTcp(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            socket.setSoTimeout(30_000);
            while (true) {
                int length = in.readUnsignedShort();
                byte[] request = new byte[length];
                in.readFully(request);
                Optional<byte[]> reply = handle(request, true);
                if (reply.isPresent()) {
                    out.writeShort(reply.get().length);
                    out.write(reply.get());
                    out.flush();
                }
            }
        } catch (EOFException | SocketException e) {
            // the client closed the connection
        } catch (IOException e) {
            // a broken or idle client; drop it
        }
    }

    /** The reply bytes, or empty when the server must stay silent. */
    Optional<byte[]> handle(byte[] request, boolean viaTcp) {
        Message query;
        try {
            query = new Message(request);
        } catch (IOException e) {
            return Optional.empty();
        }
        Record question = query.getQuestion();
        OPTRecord opt = query.getOPT();
        boolean dnssecOk = opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
        Query asked = question == null ? null : new Query(question.getName(), question.getType(), viaTcp, dnssecOk);
        if (asked != null) {
            queries.add(asked);
        }
        Fault fault = question == null ? null : faultFor(question);
        if (fault == Fault.DROP) {
            if (asked != null) {
                exchanges.add(Exchange.silent(asked));
            }
            return Optional.empty();
        }
        if (fault == Fault.SLOW) {
            sleep(SLOW_MILLIS);
        }
        Message response;
        if (opt != null && opt.getVersion() != 0) {
            // RFC 6891 6.1.3: an EDNS version we do not speak is BADVERS, an extended RCODE (16)
            Message badvers = emptyResponse(query, Rcode.BADVERS & 0xf);
            badvers.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, Rcode.BADVERS >>> 4, 0, 0), Section.ADDITIONAL);
            return Optional.of(badvers.toWire());
        }
        if (fault == Fault.SERVFAIL || fault == Fault.REFUSED) {
            response = emptyResponse(query, fault == Fault.SERVFAIL ? Rcode.SERVFAIL : Rcode.REFUSED);
        } else if (fault == Fault.TRUNCATE && !viaTcp) {
            response = emptyResponse(query, Rcode.NOERROR);
            response.getHeader().setFlag(Flags.TC);
        } else {
            response = responder.answer(query);
        }
        Responder.ednsFor(query, MAX_UDP_PAYLOAD).ifPresent(o -> response.addRecord(o, Section.ADDITIONAL));
        byte[] wire = response.toWire();
        int limit = viaTcp ? 65535 : opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), MAX_UDP_PAYLOAD));
        if (wire.length > limit) {
            Message truncated = emptyResponse(query, response.getRcode());
            truncated.getHeader().setFlag(Flags.TC);
            if (response.getHeader().getFlag(Flags.AA)) {
                truncated.getHeader().setFlag(Flags.AA);
            }
            Responder.ednsFor(query, MAX_UDP_PAYLOAD).ifPresent(o -> truncated.addRecord(o, Section.ADDITIONAL));
            wire = truncated.toWire();
            if (asked != null) {
                exchanges.add(Exchange.of(asked, truncated));
            }
        } else if (asked != null) {
            exchanges.add(Exchange.of(asked, response));
        }
        return Optional.of(wire);
    }

    private Fault faultFor(Record question) {
        Fault exact = faults.get(key(question.getName(), question.getType()));
        return exact != null ? exact : faults.get(key(question.getName(), Type.ANY));
    }

    private static Message emptyResponse(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setRcode(rcode);
        if (query.getQuestion() != null) {
            response.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return response;
    }

    private static String key(Name name, int type) {
        return name.toString().toLowerCase(java.util.Locale.ROOT) + "/" + type;
    }

    private static Name name(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS name: " + name, e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
