package dev.qremote.sender.delivery;

import static dev.qremote.sender.report.ReportTemplate.NO_CONNECTION;
import static dev.qremote.sender.report.ReportTemplate.SYSTEM_RESOURCES;
import static dev.qremote.sender.report.ReportTemplate.TLSA_LOOKUP_FAILED;

import dev.qremote.sender.control.Controls;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.report.Report;
import dev.qremote.sender.report.Reports;
import dev.qremote.sender.transport.smtp.SmtpClient;
import dev.qremote.sender.transport.smtp.SmtpConnection;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * The walk over the addresses of the mail exchangers, best first: addresses the timeout memory marks are
 * skipped, refused connections move on. Once a session starts its outcome is final, except a TLS failure
 * before the envelope, which moves on too; when nothing worked, the last such failure is the report.
 */
final class MxWalk {
    private final DeliveryContext context;
    private final Controls controls;
    private final TlsPlanner planner;

    MxWalk(DeliveryContext context, Controls controls, TlsPlanner planner) {
        this.context = context;
        this.controls = controls;
        this.planner = planner;
    }

    DeliveryResult deliver(List<Destination> candidates, int routePort, Envelope envelope, InputStream message) {
        TimeoutMemory memory = context.timeoutMemory();
        Report lastFailure = null;
        for (Destination destination : candidates) {
            InetAddress address = destination.address();
            if (memory.shouldSkip(address)) {
                continue;
            }
            TlsPlan plan;
            try {
                plan = planner.plan(destination, routePort);
            } catch (DnsTemporaryException e) {
                lastFailure = Reports.forTls(TLSA_LOOKUP_FAILED, address, destination.host(), planner.destination(),
                        "", List.of());
                continue;
            }
            Attempt attempt = session(address, plan, memory, envelope, message);
            if (attempt instanceof Attempt.RetryWithoutTls) {
                attempt = session(address, plan.withoutTls(), memory, envelope, message);
            }
            if (attempt instanceof Attempt.Done done) {
                return done.result();
            }
            if (attempt instanceof Attempt.TryNext next) {
                lastFailure = next.report();
            }
        }
        return DeliveryResult.of(lastFailure != null ? lastFailure : Reports.of(NO_CONNECTION));
    }

    /** One connection and its SMTP session; null when the connection could not be made. */
    private Attempt session(InetAddress address, TlsPlan plan, TimeoutMemory memory, Envelope envelope,
            InputStream message) {
        Socket socket;
        try {
            socket = context.connector().connect(new InetSocketAddress(address, context.connectPort(plan.servicePort())),
                    controls.connectTimeout());
        } catch (IOException e) {
            memory.record(address, e instanceof SocketTimeoutException);
            return null;
        }
        memory.record(address, false);
        SmtpConnection connection;
        try {
            connection = new SmtpConnection(socket, controls.remoteTimeout(), context.timer());
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            return new Attempt.Done(DeliveryResult.of(Reports.of(SYSTEM_RESOURCES)));
        }
        return new SmtpTransaction(new SmtpClient(connection), address, controls.heloHost(), plan, context.clock())
                .run(envelope, message);
    }
}
