package dev.qremote.sender.delivery;

import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link ScriptedPeer} did, cut by delivery: the reuse target delivers several messages through one
 * engine, and a report of delivery N may be judged only by what the peer said during delivery N. The test
 * thread opens a delivery ({@link #nextDelivery}) before each; the peer's thread records every connection's
 * part of it as a {@link Leg}: a connection kept across deliveries has one leg per delivery it served.
 * Thread-safe (the peer writes, the test reads once the delivery is over).
 */
final class PeerLedger {
    /** One mail transaction (from MAIL to the final dot or whatever ended it). */
    static final class Transaction {
        /** Every RCPT path the client sent, in order. */
        final List<String> recipients = new ArrayList<>();
        /** The RCPT paths answered with a well-formed 250 or 251. */
        final List<String> accepted = new ArrayList<>();
        boolean finalReceived;
        boolean finalAnswered250;
        byte[] message;

        @Override
        public String toString() {
            return "transaction rcpt " + recipients + " accepted " + accepted + (finalReceived ? " dot" : "")
                    + (finalAnswered250 ? " answered 250" : "");
        }
    }

    /** One connection's part of one delivery. */
    static final class Leg {
        final int connection;
        /** Opened during this delivery; false for a connection kept from an earlier one. */
        final boolean fresh;
        final List<String> verbs = new ArrayList<>();
        final List<Transaction> transactions = new ArrayList<>();
        boolean permanent;
        int extraAcceptances;
        boolean hardClosed;
        /** The client reset the connection: bytes it sent last (a final dot, say) may never have been read. */
        boolean reset;

        Leg(int connection, boolean fresh) {
            this.connection = connection;
            this.fresh = fresh;
        }

        /** Whether the client did anything here: a new connection, or a command other than a trailing QUIT. */
        boolean active() {
            return fresh || verbs.stream().anyMatch(v -> !v.equals("QUIT"));
        }

        boolean finalReceived() {
            return transactions.stream().anyMatch(t -> t.finalReceived);
        }

        @Override
        public String toString() {
            return "connection " + connection + (fresh ? " (new)" : " (kept)") + " " + verbs + " " + transactions
                    + (permanent ? " 5xx" : "") + (hardClosed ? " hard-closed" : "") + (reset ? " reset" : "")
                    + (extraAcceptances > 0 ? " extra 250s " + extraAcceptances : "");
        }
    }

    private final List<List<Leg>> deliveries = new ArrayList<>(List.of(new ArrayList<>()));
    private Leg current;
    private int connections;

    /** Starts the next delivery: from now on, what the peer does counts for it. */
    synchronized void nextDelivery() {
        deliveries.add(new ArrayList<>());
    }

    /** The legs of delivery {@code n} (1 for the first; 0 is before any), in the order they began. */
    synchronized List<Leg> legs(int n) {
        return List.copyOf(deliveries.get(n));
    }

    /** A connection was accepted. */
    synchronized void connected() {
        current = new Leg(++connections, true);
        deliveries.get(deliveries.size() - 1).add(current);
    }

    /** The current connection's leg of the current delivery (a kept connection gets a new leg per delivery). */
    synchronized Leg leg() {
        List<Leg> now = deliveries.get(deliveries.size() - 1);
        if (current == null || !now.contains(current)) {
            current = new Leg(current == null ? 0 : current.connection, false);
            now.add(current);
        }
        return current;
    }

    /** The transaction under way on the current connection (one begun by a RCPT without MAIL, if need be). */
    synchronized Transaction transaction() {
        Leg leg = leg();
        if (leg.transactions.isEmpty()) {
            leg.transactions.add(new Transaction());
        }
        return leg.transactions.get(leg.transactions.size() - 1);
    }

    synchronized void command(String verb, String text) {
        Leg leg = leg();
        leg.verbs.add(verb);
        if (verb.equals("MAIL")) {
            leg.transactions.add(new Transaction());
        } else if (verb.equals("RCPT")) {
            transaction().recipients.add(path(text));
        }
    }

    /** The address between the angle brackets of {@code text}, or the text. */
    static String path(String text) {
        int open = text.indexOf('<');
        int close = text.indexOf('>', open + 1);
        return open >= 0 && close > open ? text.substring(open + 1, close) : text;
    }
}
