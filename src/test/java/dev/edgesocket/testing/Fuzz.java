package dev.edgesocket.testing;

import java.util.List;
import java.util.function.Function;

import org.quicktheories.QuickTheory;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/**
 * What the property-based fuzz tests ({@code *Properties}) share: their budget and a way to write generators
 * as plain code.
 * <p>
 * Budget: each property names the examples it runs in CI (a few hundred, so the whole fuzz suite stays well under
 * 30 s). {@code -Dfuzz.scale=N} runs every property N times as many (bench/fuzz.sh does, for the long run). A
 * failing property prints its seed ("Seed was ..."); {@code -DQT_SEED=<seed>} replays it.
 */
public final class Fuzz {

    /** How many times the CI budget each property runs. */
    public static final int SCALE = Math.max(1, Integer.getInteger("fuzz.scale", 1));

    private Fuzz() {
    }

    /** A theory that tries {@code ciExamples} examples in CI, {@link #SCALE} times as many in a long run. */
    public static QuickTheory qt(int ciExamples) {
        int examples = ciExamples * SCALE;
        // Shrinking only runs after a failure; bounded so a failure in an expensive property still reports soon.
        return QuickTheory.qt().withExamples(examples).withShrinkCycles(Math.min(examples * 20, 20_000));
    }

    /**
     * A generator written as code: every value it takes comes from {@link Draw}, which records it, so a failing
     * example still shrinks (towards shorter lists and smaller numbers) although the generator is imperative.
     */
    public static <T> Gen<T> gen(Function<Draw, T> body) {
        return in -> body.apply(new Draw(in));
    }

    /** The choices of one example. */
    public static final class Draw {
        private final RandomnessSource in;

        Draw(RandomnessSource in) {
            this.in = in;
        }

        /** A whole number from {@code min} to {@code max}, both included; shrinks towards {@code min}. */
        public int between(int min, int max) {
            return (int) in.next(Constraint.between(min, max).withShrinkPoint(min));
        }

        public long longBetween(long min, long max) {
            return in.next(Constraint.between(min, max).withShrinkPoint(min));
        }

        /** True about once in {@code n} draws; shrinks towards false. */
        public boolean oneIn(int n) {
            return between(0, n - 1) == n - 1;
        }

        public boolean bool() {
            return between(0, 1) == 1;
        }

        public <T> T pick(List<T> choices) {
            return choices.get(between(0, choices.size() - 1));
        }

        @SafeVarargs
        public final <T> T pick(T... choices) {
            return choices[between(0, choices.length - 1)];
        }

        /** {@code length} bytes, each from {@code source}. */
        public byte[] bytes(int length, Function<Draw, Integer> source) {
            byte[] out = new byte[length];
            for (int i = 0; i < length; i++) {
                out[i] = (byte) (int) source.apply(this);
            }
            return out;
        }

        /** Any byte, half of the time one of the bytes that decide UTF-8 and frame headers. */
        public int interestingByte() {
            if (bool()) {
                return between(0, 255);
            }
            return pick(0x00, 0x0A, 0x0D, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0x81, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1,
                    0xC2, 0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF);
        }

        /** Cut points splitting {@code length} bytes into chunks, increasing, each strictly inside (0, length). */
        public int[] cuts(int length, int maxCuts) {
            if (length <= 1) {
                return new int[0];
            }
            int n = between(0, Math.min(maxCuts, length - 1));
            java.util.TreeSet<Integer> set = new java.util.TreeSet<>();
            for (int i = 0; i < n; i++) {
                set.add(between(1, length - 1));
            }
            return set.stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** The chunks of {@code bytes} between the cut points (see {@link Draw#cuts}). */
    public static List<byte[]> chunks(byte[] bytes, int[] cuts) {
        List<byte[]> out = new java.util.ArrayList<>();
        int from = 0;
        for (int cut : cuts) {
            out.add(java.util.Arrays.copyOfRange(bytes, from, cut));
            from = cut;
        }
        out.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
        return out;
    }

    /** Bytes as hex, for the description of a failing example. */
    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 3);
        for (byte b : bytes) {
            sb.append(String.format("%02X ", b & 0xFF));
        }
        return sb.toString().trim();
    }
}
