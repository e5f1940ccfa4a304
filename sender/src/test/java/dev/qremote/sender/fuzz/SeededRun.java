package dev.qremote.sender.fuzz;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The short, deterministic pass of a fuzz target that the normal build runs: iteration {@code i} draws from
 * {@code new SplittableRandom(seed + i)}, so a failure names the one seed that reproduces it
 * ({@code -Dfuzz.seed=S -Dfuzz.iterations=1}). {@code -Dfuzz.seed} and {@code -Dfuzz.iterations} override
 * the pass's own figures, for a longer seeded run than the build's; {@code -Dfuzz.keepGoing=true} counts
 * every failing seed instead of stopping at the first.
 */
public final class SeededRun {
    /** One input drawn from {@code random} and checked; an AssertionError (or anything thrown) is a finding. */
    @FunctionalInterface
    public interface Target {
        void run(RandomGenerator random) throws Exception;
    }

    private SeededRun() {
    }

    /** Runs {@code target} {@code iterations} times from {@code seed}; prints the figures; fails on a finding. */
    public static void run(String name, Target target, long seed, int iterations) {
        long first = Long.getLong("fuzz.seed", seed);
        int count = Integer.getInteger("fuzz.iterations", iterations);
        boolean keepGoing = Boolean.getBoolean("fuzz.keepGoing");
        long start = System.nanoTime();
        int failures = 0;
        AssertionError firstFailure = null;
        for (int i = 0; i < count; i++) {
            long s = first + i;
            try {
                target.run(new SplittableRandom(s));
            } catch (Throwable t) {
                failures++;
                System.out.printf("fuzz %s: FAILED at iteration %d of seed %d; reproduce with -Dfuzz.seed=%d"
                        + " -Dfuzz.iterations=1%n", name, i, first, s);
                if (firstFailure == null) {
                    firstFailure = new AssertionError("fuzz " + name + ", seed " + s + ": " + t, t);
                }
                if (!keepGoing) {
                    break;
                }
                System.out.println("  " + summary(t));
            }
        }
        System.out.printf("fuzz %s: seed %d, %d iterations in %d ms, %d failures%n", name, first, count,
                (System.nanoTime() - start) / 1_000_000, failures);
        if (firstFailure != null) {
            throw firstFailure;
        }
    }

    /** The lines of a failure that say what went wrong (AssertJ puts the description first, the check last). */
    private static String summary(Throwable t) {
        String message = String.valueOf(t.getMessage());
        String[] lines = message.split("\n");
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (line.startsWith("reports:") || line.startsWith("Expect") || line.startsWith("K without")
                    || line.startsWith("'Possible") || line.startsWith("h without") || line.startsWith("report size")
                    || line.startsWith("byte ") || line.startsWith("r without")) {
                out.append(line.length() > 300 ? line.substring(0, 300) + "..." : line).append(" | ");
            }
        }
        return out.length() > 0 ? out.toString() : lines[0].length() > 300 ? lines[0].substring(0, 300) : lines[0];
    }
}
