package dev.edgesocket.runtime;

/**
 * A rate budget: {@code rate} tokens a second, at most one second's worth saved up. {@link #take} may run
 * into debt (a message already inflated cannot be un-inflated) and says how long until the debt is paid;
 * {@link #tryTake} takes only what is there. Thread-safe; a socket's own bucket is touched by one thread.
 */
final class TokenBucket {

    private static final long SECOND = 1_000_000_000L;

    private final long rate;
    private long tokens;
    private long refilledAt;

    TokenBucket(long ratePerSecond, long nowNanos) {
        this.rate = Math.max(1, ratePerSecond);
        this.tokens = rate;
        this.refilledAt = nowNanos;
    }

    /** Takes {@code n} tokens, going into debt if need be; returns the nanoseconds until the debt is paid (0: none). */
    synchronized long take(long n, long nowNanos) {
        refill(nowNanos);
        // Debt stops at one second's worth: one socket's bombs cannot pause the others (on a shared bucket) for longer.
        tokens = Math.max(tokens - n, -rate);
        return tokens >= 0 ? 0 : nanosFor(-tokens);
    }

    /** Takes {@code n} tokens if there are that many. */
    synchronized boolean tryTake(long n, long nowNanos) {
        refill(nowNanos);
        if (tokens < n) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** Gives back tokens taken by {@link #tryTake} that were not used after all. */
    synchronized void giveBack(long n) {
        tokens = Math.min(rate, tokens + n);
    }

    private void refill(long now) {
        long elapsed = now - refilledAt;
        if (elapsed <= 0) {
            return;
        }
        // The bucket holds one second: a longer pause refills it whole (and rate * elapsed cannot overflow).
        long add = elapsed >= SECOND ? rate : (long) (rate * (elapsed / (double) SECOND));
        tokens = Math.min(rate, tokens + add);
        refilledAt = now;
    }

    private long nanosFor(long debt) {
        return Math.max(1, (long) (debt * (double) SECOND / rate));
    }
}
