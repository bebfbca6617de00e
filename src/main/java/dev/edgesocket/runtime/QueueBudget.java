package dev.edgesocket.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

/**
 * The server-wide bound under every per-socket one ({@code edgesocket.limits.max-queued-bytes}): the bytes all
 * sockets hold queued, inbound and outbound, each message counted with {@link #MESSAGE_OVERHEAD}. Every socket's
 * own bounds (the inbound pause, {@code max-buffered-amount}, {@code max-message-size}) can be honoured by
 * every socket at once and still exceed the heap; this cannot. Past it:
 * <ul>
 * <li>new upgrades are refused ({@link #exhausted()}: 503);</li>
 * <li>the sockets holding the most are closed with 1013 (Try Again Later) until the total is back under nine
 * tenths of the budget. Closing one gives back all it held (its frames are failed, its queue runs out).</li>
 * </ul>
 * Charged and credited from any thread; the shedding runs on a thread of its own, one round at a time, at most
 * ten rounds a second. Only sockets holding at least {@link #SHED_FLOOR} are closed for it.
 */
final class QueueBudget implements dev.edgesocket.zone.QueuedBytes {

    private static final Logger LOG = Logger.getLogger(QueueBudget.class);

    /**
     * What one queued message costs beyond its payload: the frame or event object, its buffer's header, Netty's
     * outbound entry (which Netty itself counts as 96 bytes), the promise and listener, or the event task.
     */
    static final int MESSAGE_OVERHEAD = 128;

    /** A socket as the budget sees it. */
    interface Holder {
        /** The bytes this socket holds now, as charged. */
        long held();

        /** Close it for the budget (1013), once; on any thread. */
        void shed();

        /** True once {@link #shed()} was called. */
        boolean shedding();
    }

    private final long max;
    private final long lowMark;
    private final AtomicLong total = new AtomicLong();
    private final Set<Holder> holders = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean shedScheduled = new AtomicBoolean();
    private final LongAdder shed = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final ScheduledExecutorService executor;
    private static final long MIN_ROUND_INTERVAL_NANOS = 100_000_000L;
    /** Sockets holding less than this are never closed for the budget. */
    static final long SHED_FLOOR = 64 * 1024;
    private volatile long lastRoundNanos;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    // Touched by one shedding round at a time (shedScheduled), which publishes them to the next.
    private long lastLogNanos;
    private long unlogged;

    QueueBudget(long max) {
        this.max = max;
        this.lowMark = max - max / 10;
        // A thread of its own: shedding must not wait behind listeners that block the worker pool.
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "edgesocket-budget");
            t.setDaemon(true);
            return t;
        });
    }

    void shutdown() {
        executor.shutdownNow();
    }

    long max() {
        return max;
    }

    long total() {
        return total.get();
    }

    /** Sockets closed with 1013 so far. */
    long shedCount() {
        return shed.sum();
    }

    /** Upgrades refused for the budget so far. */
    long refusedCount() {
        return refused.sum();
    }

    /** True while the server holds more than its budget: upgrades are refused. Counts the refusal. */
    boolean refuseUpgrade() {
        if (total.get() < max) {
            return false;
        }
        refused.increment();
        return true;
    }

    void register(Holder holder) {
        holders.add(holder);
    }

    void unregister(Holder holder) {
        holders.remove(holder);
    }

    @Override
    public boolean exhausted() {
        return total.get() >= max;
    }

    @Override
    public void charge(long bytes) {
        if (total.addAndGet(bytes) > max && bytes > 0 && shedScheduled.compareAndSet(false, true)) {
            // Rounds are spaced: sockets closed by one give their bytes back within a moment, not at once.
            long wait = Math.max(0, lastRoundNanos + MIN_ROUND_INTERVAL_NANOS - System.nanoTime());
            try {
                executor.schedule(this::shedRound, wait, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                shedScheduled.set(false); // shutting down
            }
        }
    }

    @Override
    public void credit(long bytes) {
        total.addAndGet(-bytes);
    }

    /** One WARN line per ten seconds at most, however many rounds an attack causes. Only the shedding round calls it. */
    private void logSparingly(int closed) {
        unlogged += closed;
        long now = System.nanoTime();
        if (lastLogNanos == 0 || now - lastLogNanos >= LOG_INTERVAL_NANOS) {
            LOG.warnf("Queued bytes passed edgesocket.limits.max-queued-bytes (%d bytes): closed %d socket(s) holding the "
                    + "most with 1013 since the last such line", max, unlogged);
            lastLogNanos = now;
            unlogged = 0;
        }
    }

    /** Closes the largest holders until what they hold brings the total under the low mark. */
    private void shedRound() {
        try {
            lastRoundNanos = System.nanoTime();
            long excess = total.get() - lowMark;
            if (excess <= 0) {
                return;
            }
            List<Holder> all = new ArrayList<>(holders);
            long[] held = new long[all.size()];
            List<Integer> order = new ArrayList<>(all.size());
            for (int i = 0; i < held.length; i++) {
                held[i] = all.get(i).held();
                order.add(i);
                if (all.get(i).shedding()) {
                    excess -= held[i]; // already on its way out: what it holds is coming back
                }
            }
            order.sort(Comparator.comparingLong((Integer i) -> held[i]).reversed());
            int closed = 0;
            for (int i : order) {
                // Only sockets that hold enough to matter: bytes the sockets do not hold (a room's messages waiting
                // for its listeners) are not theirs to give back, and closing small ones for them helps nobody.
                if (excess <= 0 || held[i] < SHED_FLOOR) {
                    break;
                }
                Holder h = all.get(i);
                if (!h.shedding()) {
                    h.shed();
                    shed.increment();
                    closed++;
                    excess -= held[i];
                }
            }
            if (closed > 0) {
                logSparingly(closed);
            }
        } finally {
            // The next charge past the budget starts another round; sockets shed in this one count as leaving.
            shedScheduled.set(false);
        }
    }
}
