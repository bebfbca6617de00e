package dev.edgesocket.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
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
 * Charged and credited from any thread; the shedding runs on a worker, one round at a time.
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
    private final Executor executor;
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    // Touched by one shedding round at a time (shedScheduled), which publishes them to the next.
    private long lastLogNanos;
    private long unlogged;

    QueueBudget(long max, Executor executor) {
        this.max = max;
        this.lowMark = max - max / 10;
        this.executor = executor;
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
            try {
                executor.execute(this::shedRound);
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
                if (excess <= 0 || held[i] <= 0) {
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
