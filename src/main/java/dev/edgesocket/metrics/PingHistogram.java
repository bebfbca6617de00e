package dev.edgesocket.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Ping round trips counted in a fixed set of buckets, for the console's p50/p99 over a recent window: a pong
 * increments one counter (no allocation), and a reader takes the difference of two copies. Buckets are
 * microseconds, exact below 8 µs and then four per power of two (each at most 25% wide), up to 2^27 µs
 * (134 s); longer round trips fall in the last bucket.
 */
public final class PingHistogram {

    static final int BUCKETS = 8 + 24 * 4;
    private static final long MAX_MICROS = (1L << 27) - 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    public void record(long nanos) {
        counts.incrementAndGet(bucket(Math.max(0, nanos / 1000)));
    }

    /** Copies the counts so far into {@code into} (of {@link #BUCKETS} entries). */
    public void copyTo(long[] into) {
        for (int i = 0; i < BUCKETS; i++) {
            into[i] = counts.get(i);
        }
    }

    static long[] newCounts() {
        return new long[BUCKETS];
    }

    static int bucket(long micros) {
        long v = Math.min(micros, MAX_MICROS);
        if (v < 8) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v); // 3..26
        int sub = (int) (v >>> (exponent - 2)) & 3;
        return 8 + (exponent - 3) * 4 + sub;
    }

    static long lowerMicros(int bucket) {
        if (bucket < 8) {
            return bucket;
        }
        int exponent = 3 + (bucket - 8) / 4;
        int sub = (bucket - 8) % 4;
        return (4L + sub) << (exponent - 2);
    }

    static long upperMicros(int bucket) {
        return bucket < 8 ? bucket + 1 : lowerMicros(bucket) + (1L << (3 + (bucket - 8) / 4 - 2));
    }

    /**
     * The {@code q} quantile in milliseconds of the round trips counted between two copies ({@code now} minus
     * {@code before}), interpolated inside its bucket; null when none were counted.
     */
    static Double quantileMillis(long[] now, long[] before, double q) {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += now[i] - before[i];
        }
        if (total <= 0) {
            return null;
        }
        double rank = q * total;
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            long n = now[i] - before[i];
            if (n > 0 && seen + n >= rank) {
                double within = (rank - seen) / n;
                double lower = lowerMicros(i), upper = upperMicros(i);
                return (lower + within * (upper - lower)) / 1000.0;
            }
            seen += n;
        }
        return upperMicros(BUCKETS - 1) / 1000.0;
    }
}
