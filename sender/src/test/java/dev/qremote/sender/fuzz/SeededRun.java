package dev.qremote.sender.fuzz;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The short, deterministic pass of a fuzz target that the normal build runs: iteration {@code i} draws from
 * {@code new SplittableRandom(seed + i)}, so a failure names the one seed that reproduces it
 * ({@code -Dfuzz.seed=S -Dfuzz.iterations=1}). {@code -Dfuzz.seed} and {@code -Dfuzz.iterations} override
 * the pass's own figures, for a longer seeded run than the build's.
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
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long s = first + i;
            try {
                target.run(new SplittableRandom(s));
            } catch (Throwable t) {
                System.out.printf("fuzz %s: FAILED at iteration %d of seed %d; reproduce with -Dfuzz.seed=%d"
                        + " -Dfuzz.iterations=1%n", name, i, first, s);
                throw new AssertionError("fuzz " + name + ", seed " + s + ": " + t, t);
            }
        }
        System.out.printf("fuzz %s: seed %d, %d iterations in %d ms, 0 failures%n", name, first, count,
                (System.nanoTime() - start) / 1_000_000);
    }
}
