package dev.qremote.sender.check;

/**
 * What qmail-remote-check runs with the launcher's Java and options: a JVM that gets here started, loaded a
 * class of this jar (so the class version fits the JDK) and exits 0. Nothing else is loaded.
 */
public final class StartProbe {
    private StartProbe() {
    }

    public static void main(String[] args) {
        // reaching this line is the whole test
    }
}
