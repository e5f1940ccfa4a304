package dev.qremote.fakedns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** One question the server received, for assertions. */
public record Query(Name name, int type, boolean tcp, boolean dnssecOk) {

    @Override
    public String toString() {
        return name + " " + Type.string(type) + (tcp ? " tcp" : " udp") + (dnssecOk ? " +do" : "");
    }
}
