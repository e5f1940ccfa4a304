package dev.qremote.features;

import dev.qremote.fakedns.Fault;
import io.cucumber.java.en.Given;
import org.xbill.DNS.Type;

/** Records and faults of the fake DNS. Every name lives in the zone "test."; others are refused. */
public final class DnsSteps {
    private final World world;

    public DnsSteps(World world) {
        this.world = world;
    }

    @Given("{string} has MX {int} {string}")
    public void hasMx(String domain, int preference, String exchange) {
        world.bench().zone().mx(absolute(domain), preference, absolute(exchange));
    }

    @Given("{string} has a null MX")
    public void hasNullMx(String domain) {
        world.bench().zone().nullMx(absolute(domain));
    }

    @Given("{string} has address {word}")
    public void hasAddress(String host, String address) {
        if (address.indexOf(':') >= 0) {
            world.bench().zone().aaaa(absolute(host), address);
        } else {
            world.bench().zone().a(absolute(host), address);
        }
    }

    @Given("{string} is an alias of {string}")
    public void isAlias(String alias, String target) {
        world.bench().zone().cname(absolute(alias), absolute(target));
    }

    @Given("{string} has a text record {string}")
    public void hasText(String name, String text) {
        world.bench().zone().txt(absolute(name), text);
    }

    @Given("DNS answers {word} for {string} {word}")
    public void dnsFault(String fault, String name, String type) {
        world.bench().dns().fault(name, Type.value(type), Fault.valueOf(fault));
    }

    @Given("{string} has {int} MX hosts whose address questions go unanswered")
    public void unansweredExchangers(String domain, int count) {
        for (int i = 1; i <= count; i++) {
            String host = "mx" + i + "." + domain;
            world.bench().zone().mx(absolute(domain), 10 + i % 7, absolute(host));
            world.bench().dns().fault(host, Type.ANY, Fault.DROP);
        }
    }

    @Given("{string} has {int} MX hosts, each an alias of {string}")
    public void aliasedExchangers(String domain, int count, String target) {
        for (int i = 1; i <= count; i++) {
            String host = "mx" + i + "." + domain;
            world.bench().zone().mx(absolute(domain), 10, absolute(host));
            world.bench().zone().cname(absolute(host), absolute(target));
        }
    }

    /** Addresses in 127.1.0.0/16, where nothing listens. */
    @Given("{string} has {int} addresses where nothing listens")
    public void manyAddresses(String host, int count) {
        for (int i = 1; i <= count; i++) {
            world.bench().zone().a(absolute(host), "127.1." + (i >> 8) + "." + (i & 0xff));
        }
    }

    @io.cucumber.java.en.Then("the DNS was asked at most {int} questions")
    public void askedAtMost(int count) {
        org.assertj.core.api.Assertions.assertThat(world.bench().dns().queries()).hasSizeLessThanOrEqualTo(count);
    }

    @io.cucumber.java.en.Then("the DNS was never asked for {word} records")
    public void neverAsked(String type) {
        int wanted = Type.value(type);
        org.assertj.core.api.Assertions.assertThat(world.bench().dns().queries())
                .noneMatch(q -> q.type() == wanted);
    }

    private static String absolute(String name) {
        return name.endsWith(".") ? name : name + ".";
    }
}
