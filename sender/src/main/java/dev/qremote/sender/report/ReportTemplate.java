package dev.qremote.sender.report;

/**
 * Every report text qmail-remote can print, with its status letter, and the answers qmail-rspawn writes
 * itself (the SPAWN_ and REMOTE_ entries). The classic ones are the bytes of netqmail 1.06, the TLS, AUTH
 * and QMTP ones s/qmail's, qmail-rspawn's those of notqmail's spawn.c and qmail-rspawn.c. {@code {host}}, {@code {ip}}, {@code {mx}},
 * {@code {detail}} are filled in by {@link Reports}; {@code {remote}} stands for the "Remote host said: "
 * block (empty when the server said nothing) and {@code {report}} for the report a note is added to.
 */
public enum ReportTemplate {
    // classic temp_* and perm_* failures
    OUT_OF_MEMORY('Z', "Out of memory. (#4.3.0)\n"),
    SYSTEM_RESOURCES('Z', "System resources temporarily unavailable. (#4.3.0)\n"),
    NO_CONNECTION('Z', "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"),
    MESSAGE_UNREADABLE('Z', "Unable to read message. (#4.3.0)\n"),
    DNS_TEMPORARY('Z', "Sorry, I couldn't find any host by that name. (#4.1.2)\n"),
    HOME_UNREACHABLE('Z', "Unable to switch to home directory. (#4.3.0)\n"),
    CONTROL_UNREADABLE('Z', "Unable to read control files. (#4.3.0)\n"),
    PARTIAL_FINAL_LINE('D', "SMTP cannot transfer messages with partial final lines. (#5.6.2)\n"),
    INVOKED_IMPROPERLY('D', "I (qmail-remote) was invoked improperly. (#5.3.5)\n"),
    HOST_NOT_FOUND('D', "Sorry, I couldn't find any host named {host}. (#5.1.2)\n"),
    NO_MAIL_EXCHANGER('D', "Sorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n"),
    AMBIGUOUS_MX('D', "Sorry. Although I'm listed as a best-preference MX or A for that host,\n"
            + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n"),
    CONNECTION_DIED('Z', "Connected to {ip} but connection died. (#4.4.2)\n"),
    CONNECTION_DIED_AFTER_DOT('Z', "Connected to {ip} but connection died. Possible duplicate! (#4.4.2)\n"),

    // classic quit() texts
    GREETING_FAILED('Z', "Connected to {ip} but greeting failed.\n{remote}"),
    NAME_REJECTED('Z', "Connected to {ip} but my name was rejected.\n{remote}"),
    SENDER_REJECTED_PERMANENTLY('D', "Connected to {ip} but sender was rejected.\n{remote}"),
    SENDER_REJECTED_TEMPORARILY('Z', "Connected to {ip} but sender was rejected.\n{remote}"),
    NO_RECIPIENT_ACCEPTED('D', "Giving up on {ip}.\n"),
    DATA_REJECTED_PERMANENTLY('D', "{ip} failed on DATA command.\n{remote}"),
    DATA_REJECTED_TEMPORARILY('Z', "{ip} failed on DATA command.\n{remote}"),
    MESSAGE_REJECTED_PERMANENTLY('D', "{ip} failed after I sent the message.\n{remote}"),
    MESSAGE_REJECTED_TEMPORARILY('Z', "{ip} failed after I sent the message.\n{remote}"),
    MESSAGE_ACCEPTED('K', "{ip} accepted message.\n{remote}"),

    // classic recipient reports
    RECIPIENT_ACCEPTED('r', ""),
    RECIPIENT_REJECTED_PERMANENTLY('h', "{ip} does not like recipient.\n{remote}"),
    RECIPIENT_REJECTED_TEMPORARILY('s', "{ip} does not like recipient.\n{remote}"),

    // s/qmail's TLS reports (its spelling kept, "verfied" and "posses" included, for log parsers)
    MESSAGE_ACCEPTED_TLS('K', "{ip} TLS transmitted message accepted.\n{remote}"),
    MESSAGE_ACCEPTED_TLS_CA('K', "{ip} TLS (verfied CA) transmitted message accepted.\n{remote}"),
    MESSAGE_ACCEPTED_TLS_CA_DN_WILDCARD('K', "{ip} TLS (verified CA+DN*) transmitted message accepted.\n{remote}"),
    MESSAGE_ACCEPTED_TLS_CA_DN('K', "{ip} TLS (verified CA+DN) transmitted message accepted.\n{remote}"),
    MESSAGE_ACCEPTED_TLS_PINNED('K', "{ip} TLS (CERT pinning) transmitted message accepted.\n{remote}"),
    MESSAGE_ACCEPTED_TLS_TLSA('K', "{ip} TLS (TLSA validated) transmitted message accepted.\n{remote}"),
    TLS_NEGOTIATION_FAILED('Z', "I wasn't able to negotiate a StartTLS connection with: {mx} for {host}. (#4.7.5)\n{remote}"),
    TLS_HANDSHAKE_FAILED('Z', "I wasn't able to establish a TLS connection with: {mx} for {host}. (#4.7.5)\n"),
    TLS_PROTOCOL_ERROR('Z', "TLS connection/protocol error with host: {mx} for {host}. (#4.4.2)\n"),
    TLS_CERTIFICATE_UNTRUSTED('Z', "Unable to verify X.500 certificate from: {mx} for {host}. (#4.7.5)\n"),
    TLS_CERTIFICATE_NAME('Z', "Unable to validate X.500 certificate Subject for: {host} at {mx}. (#4.7.5)\n"),
    TLS_TLSA_MISMATCH('Z', "TLSA X.509 cert required but missing from: {mx} for {host}. (#4.7.5)\n"),
    TLS_PIN_MISMATCH('Z', "Received X.500 certificate from: {mx} for {host} does not match provided fingerprint: {detail}. (#4.7.5)\n"),
    TLS_PIN_DIGEST('Z', "Received X.500 certificate from: {mx} for {host} posses an unknown digest method. (#4.3.0)\n"),
    TLS_CONTEXT('Z', "I wasn't able to create TLS context for: {host} at {mx}. (#4.3.0)\n"),
    TLS_CIPHERS('Z', "I wasn't able to process the TLS ciphers: {detail}. (#4.3.0)\n"),
    TLS_CA('Z', "I wasn't able to setup CAFILE: {detail} for TLS. (#4.3.0)\n"),
    TLS_CLIENT_CERTIFICATE('Z', "Can't load X.509 certificate: {detail}. (#4.3.0)\n"),
    TLS_CLIENT_KEY('Z', "Can't load X.509 private key: {detail}. (#4.3.0)\n"),
    // s/qmail prints the key's password here; the key file is named instead
    TLS_CLIENT_KEY_MISMATCH('Z', "Keyfile does not match X.509 certificate: {detail}. (#4.3.0)\n"),
    TLSA_LOOKUP_FAILED('Z', "TLSA lookup failed temporarily for: {mx} for {host}. (#4.4.3)\n"),

    // s/qmail's AUTH reports; {detail} is the step that was refused ("AUTH PLAIN", "plain", "username",
    // "username+digest"). Always Z: a refused login is the sender's configuration, fixed by an operator.
    AUTH_REJECTED('Z', "Connected to {ip} but authentication was rejected ({detail}).\n{remote}"),
    AUTH_CHALLENGE_UNREADABLE('Z', "Connected to {ip} but unable to base64decode challenge.\n{remote}"),
    AUTH_NEEDS_TLS('Z', "Connected to {ip} but no TLS to send credentials over: they never go in clear to another host. (#5.7.11)\n"),
    /** Appended to the final report, never a report of its own (qmail-rspawn would take it for the result). */
    AUTH_SKIPPED_NOTE('K', "{report}No supported AUTH method found, continuing without authentication.\n"),
    DOMAINIPS_INVALID('Z', "Invalid ipaddr in control/domainips (#4.3.0)\n"),
    /** Appended to the final report: the message went in BDAT chunks (RFC 3030). */
    CHUNKED_NOTE('K', "{report}Sent with BDAT, chunks: {detail}.\n"),
    /** Appended to the final report: parts were recoded to quoted-printable for a 7-bit or line-limited path. */
    RECODED_NOTE('K', "{report}Recoded to quoted-printable, parts: {detail}.\n"),
    /** Appended to the final report: header lines over 998 bytes were folded at their whitespace. */
    FOLDED_NOTE('K', "{report}Folded long header lines: {detail}.\n"),
    /** Appended to the final report: opportunistic STARTTLS failed and the retry went in plaintext. */
    TLS_FALLBACK_NOTE('K', "{report}STARTTLS failed, so the message went without TLS (RFC 7435).\n"),
    /** Appended to the final report: the MX was listed by the destination's MTA-STS policy and its certificate valid for it. */
    STS_ENFORCED_NOTE('K', "{report}MTA-STS policy enforced: {detail}.\n"),
    /** Appended to the final report: an MTA-STS policy in testing mode; what it would have refused, if anything. */
    STS_TESTING_NOTE('K', "{report}MTA-STS policy in testing mode, not enforced: {detail}.\n"),
    /** Appended to the final report: MTA-STS was on but the domain's policy could not be had (RFC 8461 5.1: as without one). */
    STS_UNAVAILABLE_NOTE('K', "{report}No MTA-STS policy applied: {detail}.\n"),
    /** Appended to the final report: the message's TLS-Required: No header waived a policy (RFC 8689 5). */
    TLS_REQUIRED_NO_NOTE('K', "{report}TLS-Required: No in the message: {detail} not enforced (RFC 8689).\n"),
    /** The destination's MTA-STS policy (enforce) does not list this MX host (RFC 8461 4.1). */
    STS_MX_NOT_LISTED('Z', "MTA-STS policy of {host} does not list the MX host {mx}. (#4.7.5)\n"),
    /** Appended to the final report: LIMITS (RFC 9422) split the recipients into {detail} transactions. */
    LIMITS_SPLIT_NOTE('K', "{report}Recipients split into {detail} transactions, as the server's LIMITS asked (RFC 9422).\n"),
    /**
     * A recipient of a split delivery whose own transaction did not deliver the message (refused for now,
     * lost, or never begun) while another one did; {report} is what ended its transaction.
     */
    LIMITS_TRANSACTION_DEFERRED('s', "{report}This recipient's transaction did not deliver the message; it is deferred (LIMITS, RFC 9422, split the recipients).\n"),
    /** As LIMITS_TRANSACTION_DEFERRED, when its transaction was refused for good. */
    LIMITS_TRANSACTION_REFUSED('h', "{report}This recipient's transaction was refused for good (LIMITS, RFC 9422, split the recipients).\n"),
    LOCAL_BIND_FAILED('Z', "Can't bind to local ip address: {detail}. (#4.3.0)\n"),

    // QMTP (s/qmail's texts, its "an QMTP" kept); recipients use the classic r/h/s reports
    QMTP_ACCEPTED('K', "All received okay by {ip}.\n{remote}"),
    QMTP_NO_CONNECTION('Z', "Sorry, I wasn't able to establish an QMTP connection. (#4.4.1)\n"),
    QMTP_PROTOCOL_VIOLATION('Z', "Recipient {ip} did not talk proper QMTP. (#4.3.0)\n"),

    // cases classic qmail-remote does not have
    SMTPUTF8_UNAVAILABLE('D', "Sorry, {ip} does not offer SMTPUTF8, and an address of this message needs it. (#5.6.7)\n"),
    MESSAGE_TOO_BIG('D', "Sorry, {ip} takes no message this large: {detail}. (#5.3.4)\n"),
    NULL_MX('D', "Sorry, {host} does not accept mail: it publishes a null MX. (#5.1.10)\n"),
    /** control/timeoutdelivery passed before a session reached the message; {detail} is its seconds. */
    DELIVERY_TIMED_OUT('Z', "Sorry, the delivery ran out of time (control/timeoutdelivery, {detail} seconds) before a mail exchanger took it. (#4.4.7)\n"),
    /** Ended from outside (qmail-remote sent TERM, a resident process shutting down) before a K. */
    DELIVERY_CANCELLED('Z', "Sorry, the delivery was cancelled before a mail exchanger took the message. (#4.3.0)\n"),
    PROTOCOL_VIOLATION('Z', "Connected to {ip} but its reply to {detail} was not valid SMTP. (#4.4.2)\n{remote}"),
    /** After the final dot the server may have taken the message whatever it sent next. */
    PROTOCOL_VIOLATION_AFTER_DOT('Z', "Connected to {ip} but its reply to {detail} was not valid SMTP. Possible duplicate! (#4.4.2)\n{remote}"),
    /** The answer to QUIT shows the replies were out of step: the refusal read may answer another command. */
    OUT_OF_STEP('Z', "Connected to {ip} but it answered QUIT with something other than 221: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\n{remote}"),
    /**
     * DATA went pipelined after the recipients (RFC 2920 3.1), every recipient was refused, and DATA was not:
     * the replies are out of step, or the server would take a message for nobody it knew.
     */
    DATA_WITHOUT_RECIPIENT('Z', "Connected to {ip} but it did not refuse DATA after refusing every recipient: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\n{remote}"),
    /**
     * DATA went pipelined after MAIL FROM (RFC 2920 3.1), the sender was refused and DATA was not: the replies
     * are out of step, or the server would take a message for a sender it refused.
     */
    DATA_AFTER_REFUSED_SENDER('Z', "Connected to {ip} but it did not refuse DATA after refusing the sender: its replies were out of step, and the one taken for a refusal may answer another command. (#4.4.2)\n{remote}"),
    /** The answer to QUIT shows the replies were out of step after the final dot. */
    OUT_OF_STEP_AFTER_DOT('Z', "Connected to {ip} but it answered QUIT with something other than 221: its replies were out of step, and the one taken for the message's may answer another command. Possible duplicate! (#4.4.2)\n{remote}"),
    /**
     * A split delivery (LIMITS, RFC 9422): after a dot was answered 2xx, a later reply came before its
     * command, or fitted no command; {detail} names the command. The dot's answer may be another's.
     */
    SPLIT_OUT_OF_STEP('Z', "Connected to {ip} but it sent a reply before I sent {detail}, or one that fits no command: its replies were out of step, and the one taken for a message's may answer another command. Possible duplicate! (#4.4.2)\n{remote}"),
    UNSOLICITED_REPLY('Z', "Connected to {ip} but it sent a reply before I sent {detail}: not valid SMTP. (#4.4.2)\n{remote}"),
    SENDER_UNUSABLE('D', "Sorry, the envelope sender has bytes SMTP cannot carry (CR, LF or NUL). (#5.1.7)\n"),
    RECIPIENT_UNUSABLE('h', "Sorry, this recipient address has bytes SMTP cannot carry (CR, LF or NUL). (#5.1.3)\n"),
    CONTROL_INVALID('Z', "Unable to read control files: {detail}. (#4.3.0)\n"),
    INTERNAL_ERROR('Z', "Sorry, qmail-remote failed unexpectedly ({detail}). (#4.3.0)\n"),

    // qmail-rspawn's own answers to qmail-send, never printed by qmail-remote: letter and text are what
    // qmail-send reads between the slot byte and the NUL. C spawn.c's checks of a request, in its order:
    SPAWN_SLOT_TOO_BIG('Z', "Internal error: delnum too big. (#4.3.5)\n"),
    SPAWN_SLOT_IN_USE('Z', "Internal error: delnum in use. (#4.3.5)\n"),
    SPAWN_ID_NONNUMERIC('D', "Internal error: messid has nonnumerics. (#5.3.5)\n"),
    SPAWN_ID_TOO_LONG('D', "Internal error: messid too long. (#5.3.5)\n"),
    SPAWN_ID_TOO_SHORT('D', "Internal error: messid too short. (#5.3.5)\n"),
    SPAWN_NO_HOST('D', "Sorry, address must include host name. (#5.1.3)\n"),
    SPAWN_CANNOT_OPEN('Z', "qmail-spawn unable to open message. (#4.3.0)\n"),
    SPAWN_CANNOT_FSTAT('Z', "qmail-spawn unable to fstat message. (#4.3.0)\n"),
    SPAWN_WRONG_TYPE('Z', "Sorry, message has wrong type. (#4.3.5)\n"),
    SPAWN_WRONG_OWNER('Z', "Sorry, message has wrong owner. (#4.3.5)\n"),
    /** C: fork failed; here: no thread for the delivery. */
    SPAWN_CANNOT_FORK('Z', "qmail-spawn unable to fork. (#4.3.0)\n"),
    // C qmail-rspawn.c report(): for qmail-remote's exit status 100 (its execve failed, E2BIG for one),
    // for a qmail-remote killed by a signal, and for one that printed nothing
    REMOTE_CANNOT_RUN('D', "Unable to run qmail-remote.\n"),
    REMOTE_CRASHED('Z', "qmail-remote crashed.\n"),
    REMOTE_NO_OUTPUT('Z', "qmail-remote produced no output.\n");

    private final char letter;
    private final String template;

    ReportTemplate(char letter, String template) {
        this.letter = letter;
        this.template = template;
    }

    public char letter() {
        return letter;
    }

    public String template() {
        return template;
    }

    /** Whether the report says the message may have been delivered already (a failure after the final dot). */
    public boolean possibleDuplicate() {
        return template.contains("Possible duplicate!");
    }

    /**
     * The refusals that come in pairs, one text with a temporary (Z, or s for a recipient) and a permanent
     * (D, or h) letter: which of the two applies is the delivery's call, made once from the reply.
     */
    public enum Refusal {
        SENDER(SENDER_REJECTED_TEMPORARILY, SENDER_REJECTED_PERMANENTLY),
        DATA(DATA_REJECTED_TEMPORARILY, DATA_REJECTED_PERMANENTLY),
        MESSAGE(MESSAGE_REJECTED_TEMPORARILY, MESSAGE_REJECTED_PERMANENTLY),
        RECIPIENT(RECIPIENT_REJECTED_TEMPORARILY, RECIPIENT_REJECTED_PERMANENTLY);

        private final ReportTemplate temporary;
        private final ReportTemplate permanent;

        Refusal(ReportTemplate temporary, ReportTemplate permanent) {
            this.temporary = temporary;
            this.permanent = permanent;
        }

        public ReportTemplate temporary() {
            return temporary;
        }

        public ReportTemplate permanent() {
            return permanent;
        }
    }
}
