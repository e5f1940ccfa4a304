package dev.qremote.sender.dns;

import java.net.InetAddress;

/** The DNS questions a delivery asks. Names are absolute; no search list is ever applied. */
public interface DnsResolver {

    DnsAnswer<MailExchanger> mx(String name) throws DnsTemporaryException;

    /** A records when {@code ipv6} is false, AAAA records when true. */
    DnsAnswer<InetAddress> addresses(String name, boolean ipv6) throws DnsTemporaryException;

    /** TLSA records at {@code name} (for example "_25._tcp.mx.example.com"). */
    DnsAnswer<Tlsa> tlsa(String name) throws DnsTemporaryException;

    /**
     * TXT records at {@code name}, each record's strings joined without a separator (RFC 7208 3.3 and
     * RFC 8461 3.1 read them so), as ISO-8859-1 text: one char per byte.
     */
    DnsAnswer<String> txt(String name) throws DnsTemporaryException;
}
