package dev.qremote.sender.dns;

import java.util.List;

/** What a name server said about one name and type. {@code authentic}: the AD bit (DNSSEC-validated). */
public sealed interface DnsAnswer<T> {

    boolean authentic();

    record Found<T>(List<T> records, boolean authentic) implements DnsAnswer<T> {
        public Found {
            records = List.copyOf(records);
        }
    }

    /** The name exists but has no record of this type. */
    record NoData<T>(boolean authentic) implements DnsAnswer<T> {
    }

    /** The name does not exist (NXDOMAIN). */
    record NoSuchName<T>(boolean authentic) implements DnsAnswer<T> {
    }
}
