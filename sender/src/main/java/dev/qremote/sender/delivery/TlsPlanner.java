package dev.qremote.sender.delivery;

import dev.qremote.sender.control.ControlFileException;
import dev.qremote.sender.control.KeyedTable;
import dev.qremote.sender.settings.ControlSnapshot;
import dev.qremote.sender.sts.StsMode;
import dev.qremote.sender.sts.StsPolicy;
import dev.qremote.sender.tls.ClientCertificateFiles;
import dev.qremote.sender.dns.Destination;
import dev.qremote.sender.dns.DnsAnswer;
import dev.qremote.sender.dns.DnsResolver;
import dev.qremote.sender.dns.DnsTemporaryException;
import dev.qremote.sender.dns.DnssecMode;
import dev.qremote.sender.dns.IpLiteral;
import dev.qremote.sender.dns.Tlsa;
import dev.qremote.sender.tls.TlsDestinations;
import dev.qremote.sender.tls.TlsMode;
import dev.qremote.sender.tls.TlsPolicy;
import dev.qremote.sender.tls.Verification;
import java.util.List;
import java.util.Optional;

/**
 * Decides the TLS plan for each MX: tlsdestinations first; for a host it names nothing for, the TLS
 * patches' control/tlshosts/MX.pem (TLS required, verified against that CA, name checked) and
 * control/notlshosts/MX (no TLS); then DANE (RFC 7672): when the MX and address lookups were DNSSEC-secure,
 * a secure TLSA set at _port._tcp.MX makes TLS mandatory and, if it has usable records, decides the
 * certificate. A TLSA lookup that fails is a reason to defer, never to go without. Then MTA-STS (RFC 8461),
 * where no tlsdestinations line naming the destination or MX, and no tlshosts file, applies and DANE does
 * not: a rule for every destination is only the baseline, and in enforce mode TLS is mandatory with a
 * certificate valid for the MX name whatever that baseline says. A TLS-Required: No header (RFC 8689 5) waives DANE
 * and MTA-STS: opportunistic TLS, plaintext after a failure. Public for
 * qmail-remote-check, which explains a plan without connecting.
 */
public final class TlsPlanner {
    private final TlsDestinations tlsDestinations;
    private final ControlSnapshot settings;
    private final DnsResolver resolver;
    private final DnssecMode dnssec;
    private final String destination;
    private final String sender;
    private final Optional<ClientCertificateFiles> clientCertificate;
    private final List<String> defaultCiphers;
    private final boolean opportunisticFallback;
    private Optional<StsPolicy> sts = Optional.empty();
    private Optional<String> stsCaFile = Optional.empty();
    /** Reads the message's header, at most once, and only when DANE or MTA-STS would make TLS mandatory. */
    private java.util.function.BooleanSupplier waive = () -> false;
    private Boolean tlsRequiredNo;

    public TlsPlanner(TlsDestinations tlsDestinations, ControlSnapshot settings, DnsResolver resolver, DnssecMode dnssec,
            String destination, String sender, Optional<ClientCertificateFiles> clientCertificate,
            boolean opportunisticFallback) throws ControlFileException {
        this.opportunisticFallback = opportunisticFallback;
        this.clientCertificate = clientCertificate;
        this.defaultCiphers = settings.tlsClientCiphers().get();
        this.tlsDestinations = tlsDestinations;
        this.settings = settings;
        this.resolver = resolver;
        this.dnssec = dnssec;
        this.destination = destination;
        this.sender = sender;
    }

    /**
     * Applies an MTA-STS policy ({@code caFile}: the CAs MX certificates must chain to; empty: the JDK's)
     * and a TLS-Required: No header ({@code waive}) to the plans made from now on.
     */
    TlsPlanner sts(Optional<StsPolicy> policy, Optional<String> caFile, boolean waive) {
        return sts(policy, caFile, () -> waive);
    }

    /**
     * As above, with {@code waive} asked only when a plan needs its answer (a DANE or MTA-STS destination):
     * it reads the message's header, which most deliveries never need.
     */
    TlsPlanner sts(Optional<StsPolicy> policy, Optional<String> caFile, java.util.function.BooleanSupplier waive) {
        this.sts = policy;
        this.stsCaFile = caFile;
        this.waive = waive;
        this.tlsRequiredNo = null;
        return this;
    }

    private boolean tlsRequiredNo() {
        if (tlsRequiredNo == null) {
            tlsRequiredNo = waive.getAsBoolean();
        }
        return tlsRequiredNo;
    }

    /** The domain mail goes to (or the relay a route names), as reports call it. */
    String destination() {
        return destination;
    }

    /**
     * The plan for one MX address on {@code routePort}; asks for TLSA records when DANE may apply.
     *
     * @throws DnsTemporaryException the TLSA lookup failed (the MX is skipped, never tried without DANE)
     */
    public TlsPlan plan(Destination mx, int routePort) throws DnsTemporaryException {
        TlsPolicy policy = tlsDestinations.policyFor(destination, mx.host(), sender);
        Optional<TlsPolicy> hostFile = policy.matchedRule().equals("default") ? tlsHostsPolicy(mx.host())
                : Optional.empty();
        policy = hostFile.orElse(policy);
        // a rule for every destination ("*:", "-*:", ...) is the baseline DANE and MTA-STS strengthen; only a
        // line naming the destination or MX, or a tlshosts/notlshosts file, is the operator's word for it
        boolean explicit = hostFile.isPresent() || tlsDestinations.names(destination, mx.host(), sender);
        if (policy.ciphers().isEmpty() && !defaultCiphers.isEmpty()) {
            policy = policy.withCiphers(defaultCiphers);
        }
        int port = policy.port().orElse(routePort);
        boolean implicit = policy.implicitTls() || port == 465;
        boolean daneRequired = false;
        List<Tlsa> usable = List.of();
        boolean daneWaived = false;
        if (policy.daneAllowed() && dnssec != DnssecMode.OFF && mx.authentic() && IpLiteral.parse(mx.host()).isEmpty()) {
            DnsAnswer<Tlsa> answer;
            try {
                answer = resolver.tlsa("_" + port + "._tcp." + mx.host());
            } catch (DnsTemporaryException e) {
                if (!tlsRequiredNo()) {
                    throw e;
                }
                answer = new DnsAnswer.NoData<>(false);
                daneWaived = true;
            }
            if (answer instanceof DnsAnswer.Found<Tlsa> found && found.authentic()) {
                daneRequired = true;
                usable = found.records().stream().filter(Tlsa::usableForSmtp).toList();
            }
        }
        Enforcement enforcement = Enforcement.NONE;
        boolean listed = true;
        if ((daneRequired || daneWaived) && tlsRequiredNo()) {
            // RFC 8689 5: the sender asked for delivery whatever the recipient's DANE policy says
            daneRequired = false;
            usable = List.of();
            enforcement = Enforcement.DANE_WAIVED;
            policy = explicit ? policy : waived(policy);
        } else if (sts.isPresent() && !explicit && !daneRequired) {
            // RFC 8461 2: DANE wins where it applies; an operator's rule for the destination wins over both
            listed = sts.get().allows(mx.host());
            if (sts.get().mode() == StsMode.TESTING) {
                enforcement = Enforcement.STS_TESTING;
                if (policy.verification() == Verification.NONE) {
                    // the CAs the certificate is audited against (TlsPlan.client); nothing is refused. A
                    // baseline that verifies keeps its own CAs
                    policy = policy.toBuilder().caLocation(stsCaFile).build();
                }
            } else if (tlsRequiredNo()) {
                enforcement = Enforcement.STS_WAIVED;
                policy = waived(policy);
            } else {
                // whatever the baseline: TLS, a certificate chaining to the WebPKI (or mtastscafile) for the MX name
                enforcement = Enforcement.STS_ENFORCE;
                policy = policy.toBuilder().mode(TlsMode.MANDATORY).verification(Verification.CA_AND_NAME_WILDCARD)
                        .caLocation(stsCaFile).fingerprint(Optional.empty()).daneAllowed(false)
                        .matchedRule("mta-sts").build();
            }
        }
        return new TlsPlan(policy, daneRequired, usable, implicit, port, mx.host(), destination, clientCertificate,
                opportunisticFallback, enforcement, listed);
    }

    /**
     * What TLS-Required: No (RFC 8689 5) leaves of a baseline: opportunistic TLS with a plaintext retry, but
     * a rule for every destination that makes TLS mandatory is the operator's and still holds.
     */
    private static TlsPolicy waived(TlsPolicy baseline) {
        return baseline.mode() == TlsMode.MANDATORY ? baseline : baseline.toBuilder().mode(TlsMode.RELAXED).build();
    }

    /**
     * s/qmail's control/domaincerts ({@code domain:certificate[|keyfile[|password]]}, the sender's domain,
     * then "*"), else the TLS patches' control/clientcert.pem (certificate and key in one file).
     * Relative paths are taken from the qmail home, where classic qmail-remote runs.
     */
    public static Optional<ClientCertificateFiles> clientCertificate(ControlSnapshot settings, String sender)
            throws ControlFileException {
        java.nio.file.Path home = settings.qmailHome();
        KeyedTable domainCerts = settings.domainCerts().get();
        int at = sender.lastIndexOf('@');
        String domain = at < 0 ? "" : sender.substring(at + 1);
        Optional<String> entry = domainCerts.get(domain);
        if (entry.isEmpty()) {
            entry = domainCerts.get("*");
        }
        if (entry.isPresent()) {
            return Optional.of(certificateFiles(home, entry.get()));
        }
        return settings.clientCertPem()
                ? Optional.of(new ClientCertificateFiles(home, "control/clientcert.pem", Optional.empty(), Optional.empty()))
                : Optional.empty();
    }

    /** One domaincerts value, {@code certificate[|keyfile[|password]]}, as the files it names. */
    public static ClientCertificateFiles certificateFiles(java.nio.file.Path home, String value) {
        String[] fields = value.split("\\|", 3);
        Optional<String> key = fields.length > 1 && !fields[1].isEmpty() ? Optional.of(fields[1]) : Optional.empty();
        Optional<String> password = fields.length > 2 && !fields[2].isEmpty() ? Optional.of(fields[2])
                : Optional.empty();
        return new ClientCertificateFiles(home, fields[0], key, password);
    }

    private Optional<TlsPolicy> tlsHostsPolicy(String mxHost) {
        java.nio.file.Path dir = settings.controlPath("tlshosts");
        java.nio.file.Path pem = dir.resolve(mxHost + ".pem");
        if (safeName(mxHost) && settings.inTlsHosts(mxHost + ".pem")) {
            return Optional.of(TlsPolicy.builder().mode(TlsMode.MANDATORY).verification(Verification.CA_AND_NAME_WILDCARD)
                    .caLocation(Optional.of(dev.qremote.sender.tls.FileNames.text(pem))).matchedRule("tlshosts/" + mxHost + ".pem").build());
        }
        if (safeName(mxHost) && settings.inNoTlsHosts(mxHost)) {
            return Optional.of(TlsPolicy.builder().mode(TlsMode.NEVER).daneAllowed(false)
                    .matchedRule("notlshosts/" + mxHost).build());
        }
        return Optional.empty();
    }

    /** A name from DNS becomes a file name only when it cannot climb out of the directory. */
    private static boolean safeName(String host) {
        return !host.isEmpty() && !host.contains("/") && !host.startsWith(".") && host.chars().allMatch(c -> c > 32 && c < 127);
    }
}
