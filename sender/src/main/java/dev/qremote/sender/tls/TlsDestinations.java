package dev.qremote.sender.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * s/qmail's control/tlsdestinations:
 * {@code [prefix]destination:[cafile|=fingerprint][|ciphers[|verifydepth]][;[s]port][|senderdomain]}.
 * Which line applies is decided by a fixed precedence (the table in {@link #RANKS}), then by a bound
 * sender domain, then by the longer destination, then by the later line. Destinations are compared with
 * the domain mail goes to and with the MX host's name; "%" and "=" lines need the exact name, the others
 * also match subdomains.
 */
public final class TlsDestinations {
    /** Precedence, first wins: prefixed destinations, then the rules for every destination. */
    static final List<String> RANKS = List.of("!", "%", "=", "~", "", "-", "?", "/", "=*", "~*", "+*", "-*", "/*",
            "*", "?*", "-*single", "/*single");

    private final List<Rule> rules;

    private TlsDestinations(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** One parsed line. */
    record Rule(int line, String kind, String destination, TlsPolicy policy, Optional<String> senderDomain) {
    }

    public static TlsDestinations none() {
        return new TlsDestinations(List.of());
    }

    public static TlsDestinations parse(List<String> lines) throws TlsConfigException {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // as every qmail key:value file: no colon, no rule
            }
            rules.add(rule(i + 1, line.substring(0, colon).trim(), line.substring(colon + 1)));
        }
        return new TlsDestinations(rules);
    }

    /** Every line's own policy, in file order (each names its line in {@link TlsPolicy#matchedRule()}). */
    public List<TlsPolicy> policies() {
        return rules.stream().map(Rule::policy).toList();
    }

    /** The policy for mail to {@code destination} through the MX host {@code mxHost}, sent by {@code sender}. */
    public TlsPolicy policyFor(String destination, String mxHost, String sender) {
        Rule best = best(destination, mxHost, sender);
        return best == null ? TlsPolicy.opportunistic() : best.policy();
    }

    /**
     * Whether the line that applies names {@code destination} or {@code mxHost} (false: a rule for every
     * destination applies, or none): only such a line wins over a recipient's MTA-STS policy; a rule for
     * every destination is the baseline that policy strengthens.
     */
    public boolean names(String destination, String mxHost, String sender) {
        Rule best = best(destination, mxHost, sender);
        return best != null && !best.destination().isEmpty();
    }

    private Rule best(String destination, String mxHost, String sender) {
        String senderDomain = domainOf(sender);
        Rule best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Rule rule : rules) {
            if (rule.senderDomain().isPresent() && !rule.senderDomain().get().equalsIgnoreCase(senderDomain)) {
                continue;
            }
            if (!matches(rule, destination) && !matches(rule, mxHost)) {
                continue;
            }
            int rank = RANKS.indexOf(rule.kind());
            if (best == null || rank < bestRank || rank == bestRank && moreSpecific(rule, best)) {
                best = rule;
                bestRank = rank;
            }
        }
        return best;
    }

    private static boolean moreSpecific(Rule candidate, Rule current) {
        boolean candidateBound = candidate.senderDomain().isPresent();
        boolean currentBound = current.senderDomain().isPresent();
        if (candidateBound != currentBound) {
            return candidateBound;
        }
        if (candidate.destination().length() != current.destination().length()) {
            return candidate.destination().length() > current.destination().length();
        }
        return candidate.line() > current.line();
    }

    private static boolean matches(Rule rule, String name) {
        if (rule.destination().isEmpty()) {
            return true; // a rule for every destination
        }
        String n = name.toLowerCase(Locale.ROOT);
        String d = rule.destination();
        if (rule.kind().equals("%") || rule.kind().equals("=")) {
            return n.equals(d);
        }
        if (d.startsWith(".")) {
            return n.endsWith(d);
        }
        return n.equals(d) || n.endsWith("." + d);
    }

    private static Rule rule(int line, String key, String value) throws TlsConfigException {
        String kind;
        String destination;
        switch (key) {
            case "*", "?", "-", "/" -> {
                kind = key.equals("*") ? "*" : key.equals("?") ? "?*" : key + "*single";
                destination = "";
            }
            case "-*", "+*", "~*", "=*", "/*" -> {
                kind = key;
                destination = "";
            }
            default -> {
                char first = key.isEmpty() ? ' ' : key.charAt(0);
                boolean prefixed = "~=-%!?/".indexOf(first) >= 0;
                kind = prefixed ? String.valueOf(first) : "";
                destination = (prefixed ? key.substring(1) : key).toLowerCase(Locale.ROOT);
                if (destination.isEmpty()) {
                    throw new TlsConfigException("tlsdestinations line " + line + ": no destination in '" + key + "'");
                }
            }
        }

        String settings = value;
        String portPart = null;
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            settings = value.substring(0, semicolon);
            portPart = value.substring(semicolon + 1);
        }
        String[] fields = settings.split("\\|", -1);
        Optional<String> ca = Optional.empty();
        Optional<String> pin = Optional.empty();
        if (!fields[0].isEmpty()) {
            if (fields[0].startsWith("=")) {
                pin = Optional.of(fields[0].substring(1).replace(":", "").toLowerCase(Locale.ROOT));
            } else {
                ca = Optional.of(fields[0]);
            }
        }
        String cipherField = fields.length > 1 ? fields[1] : "";
        String depthField = fields.length > 2 ? fields[2] : "";
        if (cipherField.isEmpty() && !depthField.isEmpty() && !depthField.chars().allMatch(Character::isDigit)) {
            // the man page's own example "-adhonlydomain.com:||aNULL:!kRSA" puts ciphers in the third field
            cipherField = depthField;
            depthField = "";
        }
        List<String> ciphers = cipherField.isEmpty() ? List.of() : List.of(cipherField.split(":"));
        OptionalInt depth = depthField.isEmpty() ? OptionalInt.empty() : OptionalInt.of(number(depthField, line, 0));
        Optional<String> senderDomain = fields.length > 3 && !fields[3].isEmpty() ? Optional.of(fields[3])
                : Optional.empty();
        OptionalInt port = OptionalInt.empty();
        boolean implicit = false;
        if (portPart != null) {
            String[] portFields = portPart.split("\\|", -1);
            String p = portFields[0].trim();
            if (p.startsWith("s")) {
                implicit = true;
                p = p.substring(1);
            }
            if (!p.isEmpty()) {
                port = OptionalInt.of(number(p, line, 1));
                implicit |= port.getAsInt() == 465;
            }
            if (portFields.length > 1 && !portFields[1].isEmpty()) {
                senderDomain = Optional.of(portFields[1]);
            }
        }
        if (kind.equals("%") && pin.isEmpty()) {
            throw new TlsConfigException("tlsdestinations line " + line + ": '%' needs =fingerprint");
        }
        TlsMode mode = switch (kind) {
            case "!" -> TlsMode.NEVER;
            case "?", "?*" -> TlsMode.RELAXED;
            case "*", "/", "-*single", "/*single" -> TlsMode.OPPORTUNISTIC;
            default -> TlsMode.MANDATORY;
        };
        Verification verification = switch (kind) {
            case "%" -> Verification.PINNED;
            case "=", "=*" -> Verification.CA_AND_NAME_EXACT;
            case "~", "~*" -> Verification.CA_AND_NAME_WILDCARD;
            case "+*" -> Verification.CA;
            case "" -> ca.isPresent() ? Verification.CA : Verification.NONE;
            default -> Verification.NONE;
        };
        if (pin.isPresent() && verification != Verification.PINNED) {
            verification = Verification.PINNED;
        }
        boolean dane = !kind.equals("/") && !kind.equals("/*") && !kind.equals("/*single") && !kind.equals("%")
                && mode != TlsMode.NEVER;
        TlsPolicy policy = TlsPolicy.builder().mode(mode).verification(verification).caLocation(ca).fingerprint(pin)
                .ciphers(ciphers).verifyDepth(depth).port(port).implicitTls(implicit).daneAllowed(dane)
                .matchedRule("tlsdestinations line " + line).build();
        return new Rule(line, kind, destination, policy, senderDomain.map(s -> s.toLowerCase(Locale.ROOT)));
    }

    private static int number(String text, int line, int minimum) throws TlsConfigException {
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= minimum && n <= 65535) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TlsConfigException("tlsdestinations line " + line + ": '" + text + "' is not a number");
    }

    private static String domainOf(String sender) {
        int at = sender.lastIndexOf('@');
        return at < 0 ? "" : sender.substring(at + 1);
    }
}
