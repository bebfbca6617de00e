package dev.edgesocket.testing;

import java.time.Duration;
import java.util.function.Predicate;

/**
 * Polls until something the server does in the background has happened, in place of hand-written
 * {@code while (System.nanoTime() < deadline) sleep} loops. On timeout it fails with what was awaited and the
 * last value seen (or the last exception thrown while reading it), so a red test says what it waited for.
 * <pre>
 * int open = Eventually.value("open sockets of zone 'small' to be 0", zone::openSocketCount, n -&gt; n == 0);
 * </pre>
 */
public final class Eventually {

    /** The wait most tests give the server: long enough for a slow CI machine, short enough to fail fast. */
    public static final Duration DEFAULT = Duration.ofSeconds(5);
    private static final long PAUSE_MILLIS = 20;

    private Eventually() {
    }

    /** A value read again on each attempt; an exception counts as "not yet" and is reported if time runs out. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** A condition checked again on each attempt; an exception counts as "not yet". */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    /** Waits up to {@link #DEFAULT} until {@code done} holds for what {@code probe} reads; returns that value. */
    public static <T> T value(String what, Probe<T> probe, Predicate<? super T> done) {
        return value(what, DEFAULT, probe, done);
    }

    /**
     * Waits up to {@code timeout} until {@code done} holds for what {@code probe} reads, and returns that value.
     *
     * @throws AssertionError naming {@code what} and the last value (or exception) when time runs out
     */
    public static <T> T value(String what, Duration timeout, Probe<T> probe, Predicate<? super T> done) {
        return poll(what, timeout, PAUSE_MILLIS, probe, done, true);
    }

    /** As {@link #value(String, Duration, Probe, Predicate)}, pausing {@code pause} between attempts. */
    public static <T> T value(String what, Duration timeout, Duration pause, Probe<T> probe, Predicate<? super T> done) {
        return poll(what, timeout, pause.toMillis(), probe, done, true);
    }

    /**
     * Waits up to {@code timeout} until {@code done} holds, and returns the last value read either way: for a
     * test whose own assertion follows and says more than "it did not happen".
     */
    public static <T> T last(Duration timeout, Duration pause, Probe<T> probe, Predicate<? super T> done) {
        return poll("", timeout, pause.toMillis(), probe, done, false);
    }

    /** Waits up to {@link #DEFAULT} until {@code condition} holds. */
    public static void until(String what, Condition condition) {
        until(what, DEFAULT, condition);
    }

    /** Waits up to {@code timeout} until {@code condition} holds; fails naming {@code what} otherwise. */
    public static void until(String what, Duration timeout, Condition condition) {
        value(what, timeout, condition::holds, Boolean.TRUE::equals);
    }

    private static <T> T poll(String what, Duration timeout, long pause, Probe<T> probe, Predicate<? super T> done,
            boolean fail) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception problem = null;
        int attempts = 0;
        for (;;) {
            attempts++;
            try {
                last = probe.get();
                problem = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                problem = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what, e);
            }
        }
        if (!fail && problem == null) {
            return last;
        }
        AssertionError error = new AssertionError("Waited " + timeout.toMillis() + " ms (" + attempts
                + " attempts) for " + what + "; last " + (problem != null ? "attempt threw " + problem : "value: " + last));
        if (problem != null) {
            error.initCause(problem);
        }
        throw error;
    }
}
