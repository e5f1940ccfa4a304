package dev.qremote.sender;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

/**
 * The package directions of DEVELOPERS.md, and the library rules of the engine: report, control and
 * message are leaves; routing uses control; only dns sees dnsjava; transport never sees dns, routing or
 * report; sts (MTA-STS discovery and policies) builds on dns and tls, never on report or delivery; settings
 * (the control snapshot) builds on control, routing, tls, dns and sts; delivery decides and only
 * the front-ends (cli, spawn, check) and machine (the real machine's context, which both use) see it;
 * nothing depends on a front-end (check is qmail-remote-check, tlsrptcli bin/tlsrpt: the operator's tools);
 * tlsrpt (TLS reporting, RFC 8460) is a library of its own below delivery, on attemptlog and dns. No System.exit outside
 * cli and check, no system property or environment variable outside
 * the front-ends, and no static mutable state.
 */
class PackageDirectionTest {
    private static final String BASE = "dev.qremote.sender";
    private static final JavaClasses SENDER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(BASE);

    private static String sub(String pkg) {
        return BASE + "." + pkg + "..";
    }

    /** Classes in {@code pkg} use java.* , their own package and the named packages, nothing else. */
    private static ArchRule only(String pkg, String... allowed) {
        String[] packages = new String[allowed.length + 2];
        packages[0] = "java..";
        packages[1] = sub(pkg);
        System.arraycopy(allowed, 0, packages, 2, allowed.length);
        return classes().that().resideInAPackage(sub(pkg)).should().onlyDependOnClassesThat()
                .resideInAnyPackage(packages);
    }

    @Test
    void packagesDependOnlyDownward() {
        CompositeArchRule.of(only("report"))
                .and(only("control"))
                .and(only("message"))
                .and(only("attemptlog"))
                .and(only("tlsrpt", "javax.net..", sub("attemptlog"), sub("dns")))
                .and(only("routing", sub("control")))
                .and(only("dns", "org.xbill.DNS.."))
                .and(only("tls", "javax.net..", "javax.security..", "org.bouncycastle..", sub("dns")))
                .and(only("tls.dane", "javax.security..", sub("dns")))
                .and(only("transport", "javax.net..", "javax.crypto..", sub("message"), sub("tls")))
                .and(only("sts", "javax.net..", sub("dns"), sub("tls")))
                .and(only("settings", sub("control"), sub("routing"), sub("tls"), sub("dns"), sub("sts")))
                .and(only("machine", sub("delivery"), sub("dns"), sub("tls"), sub("settings"), sub("attemptlog"),
                        sub("sts")))
                .and(noClasses().that().resideOutsideOfPackage(BASE + ".cli..")
                        .should().dependOnClassesThat().resideInAPackage(BASE + ".cli.."))
                .and(noClasses().that().resideOutsideOfPackage(BASE + ".spawn..")
                        .should().dependOnClassesThat().resideInAPackage(BASE + ".spawn.."))
                .and(noClasses().that().resideOutsideOfPackage(BASE + ".check..")
                        .should().dependOnClassesThat().resideInAPackage(BASE + ".check.."))
                .and(noClasses().that().resideOutsideOfPackage(BASE + ".tlsrptcli..")
                        .should().dependOnClassesThat().resideInAPackage(BASE + ".tlsrptcli.."))
                .allowEmptyShould(true)
                .check(SENDER);
    }

    @Test
    void onlyDnsSeesDnsjava() {
        noClasses().that().resideOutsideOfPackage(BASE + ".dns..")
                .should().dependOnClassesThat().resideInAPackage("org.xbill..")
                .check(SENDER);
    }

    @Test
    void theEngineIsALibrary() {
        noClasses().that().resideOutsideOfPackages(BASE + ".cli..", BASE + ".check..", BASE + ".tlsrptcli..")
                .should().callMethod(System.class, "exit", int.class)
                .orShould().accessField(System.class, "err")
                .orShould().accessField(System.class, "out")
                .check(SENDER);
        fields().that().areStatic().should().beFinal().check(SENDER);
    }

    /**
     * Settings come in through the context: the system's properties and environment are read by the
     * front-ends (cli, spawn) alone.
     */
    @Test
    void onlyFrontEndsReadPropertiesAndEnvironment() {
        noClasses().that().resideOutsideOfPackages(BASE + ".cli..", BASE + ".spawn..", BASE + ".check..",
                        BASE + ".tlsrptcli..")
                .should().callMethod(System.class, "getProperty", String.class)
                .orShould().callMethod(System.class, "getProperty", String.class, String.class)
                .orShould().callMethod(System.class, "getProperties")
                .orShould().callMethod(System.class, "getenv")
                .orShould().callMethod(System.class, "getenv", String.class)
                .orShould().callMethod(Boolean.class, "getBoolean", String.class)
                .orShould().callMethod(Integer.class, "getInteger", String.class)
                .orShould().callMethod(Long.class, "getLong", String.class)
                .check(SENDER);
    }

    /**
     * The engine is used by front-ends only: cli (one delivery per process) and spawn (resident, many), and
     * by machine, the context of the real machine both use; it never reaches back into them.
     */
    @Test
    void onlyFrontEndsUseTheEngine() {
        classes().that().resideInAPackage(BASE + ".delivery..")
                .should().onlyBeAccessed().byClassesThat()
                .resideInAnyPackage(BASE + ".delivery..", BASE + ".cli..", BASE + ".spawn..", BASE + ".machine..",
                        BASE + ".check..")
                .check(SENDER);
        noClasses().that().resideInAPackage(BASE + ".delivery..")
                .should().dependOnClassesThat()
                .resideInAnyPackage(BASE + ".cli..", BASE + ".spawn..", BASE + ".machine..", BASE + ".check..")
                .check(SENDER);
    }

    /** Reports are made by delivery and written by the front-ends (spawn translates them as qmail-rspawn). */
    @Test
    void onlyDeliveryAndFrontEndsReachReports() {
        classes().that().resideInAPackage(BASE + ".report..")
                .should().onlyBeAccessed().byClassesThat()
                .resideInAnyPackage(BASE + ".report..", BASE + ".delivery..", BASE + ".cli..", BASE + ".spawn..")
                .check(SENDER);
    }
}
