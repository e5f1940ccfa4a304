package dev.qremote.sender.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.random.RandomGenerator;

/**
 * Jazzer's input seen as a random generator, so that one generator serves both the coverage-guided runs
 * (bin/fuzz) and the seeded passes of the normal build (a SplittableRandom). Bounded choices take the
 * fuzzer's bytes directly, which lets it steer them; an exhausted input answers the smallest choice.
 */
public final class FuzzedRandom implements RandomGenerator {
    private final FuzzedDataProvider data;

    public FuzzedRandom(FuzzedDataProvider data) {
        this.data = data;
    }

    @Override
    public long nextLong() {
        return data.consumeLong();
    }

    @Override
    public int nextInt() {
        return data.consumeInt();
    }

    @Override
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive");
        }
        return data.consumeInt(0, bound - 1);
    }

    @Override
    public int nextInt(int origin, int bound) {
        if (origin >= bound) {
            throw new IllegalArgumentException("origin must be below bound");
        }
        return data.consumeInt(origin, bound - 1);
    }

    @Override
    public boolean nextBoolean() {
        return data.consumeBoolean();
    }

    @Override
    public double nextDouble() {
        return data.consumeProbabilityDouble();
    }

    @Override
    public void nextBytes(byte[] bytes) {
        byte[] taken = data.consumeBytes(bytes.length);
        System.arraycopy(taken, 0, bytes, 0, taken.length);
        java.util.Arrays.fill(bytes, taken.length, bytes.length, (byte) 0);
    }
}
