package dev.edgesocket.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import dev.edgesocket.heartbeat.Liveness;
import io.netty.channel.Channel;

/**
 * When one socket reads from its client: reading pauses while the script's listeners are behind (worker dispatch),
 * while the client does not read our frames (the outbound queue above its high-water mark), while the compression
 * budget is spent, and for good once the connection is being dropped; and a read yields after
 * {@link #YIELD_EVERY} messages, so that a flood of tiny messages never holds the event loop for long.
 * <p>
 * Threading: confined to the connection's event loop, except the inbound queue's cost, which the workers that run
 * the listeners take down.
 */
final class ReadFlow {

    private static final AtomicLongFieldUpdater<ReadFlow> INBOUND =
            AtomicLongFieldUpdater.newUpdater(ReadFlow.class, "inboundQueued");

    /**
     * What queued inbound messages may cost (bytes plus {@link QueueBudget#MESSAGE_OVERHEAD} each) before the socket
     * stops reading from the network: an empty message is not free.
     */
    private static final long INBOUND_HIGH_WATER = 1 << 20;
    private static final long INBOUND_LOW_WATER = INBOUND_HIGH_WATER / 4;
    /** Why reading is paused: listeners behind, the client not reading our frames, the inflate budget spent. */
    static final int PAUSE_INBOUND = 1, PAUSE_OUTBOUND = 2, PAUSE_INFLATE = 4, PAUSE_YIELD = 16;
    /** A Pull Zone's origin reads more slowly than the client sends. */
    static final int PAUSE_RELAY = 32;
    /** Never taken back: the connection is being dropped. */
    private static final int PAUSE_CLOSED = 8;
    /** Messages (and pings) one turn of the event loop handles for a socket before it yields to the others. */
    static final int YIELD_EVERY = 512;

    private final Channel channel;
    private final FrameReader reader;
    private final Outbound out;
    private final Liveness liveness;
    private final QueueBudget budget;
    /** Null when permessage-deflate was not agreed. */
    private final CompressionBudget.Socket compression;

    /** What the messages queued for listeners cost (worker dispatch). */
    private volatile long inboundQueued;
    /** Reading paused because listeners are behind; written on the event loop, read by workers. */
    private volatile boolean inboundPaused;
    /** Why reading is paused (PAUSE_* bits). */
    private int pauseReasons;
    /** Messages and pings handled in this turn of the event loop. */
    private int messagesThisTurn;

    ReadFlow(Channel channel, FrameReader reader, Outbound out, Liveness liveness, QueueBudget budget,
            CompressionBudget.Socket compression) {
        this.channel = channel;
        this.reader = reader;
        this.out = out;
        this.liveness = liveness;
        this.budget = budget;
        this.compression = compression;
    }

    /** A message or a ping was read: it counts toward the yield. */
    void counted() {
        messagesThisTurn++;
    }

    /** What the messages queued for listeners cost now; any thread. */
    long inboundQueued() {
        return inboundQueued;
    }

    /**
     * A message is queued for the listeners (worker dispatch): a slow listener must not let one client fill the heap,
     * so reading stops past the high-water mark. Each message counts with its overhead, so a flood of empty ones stops
     * as surely as large ones. On the event loop.
     */
    void queued(long cost) {
        budget.charge(cost);
        if (INBOUND.addAndGet(this, cost) > INBOUND_HIGH_WATER && !inboundPaused) {
            inboundPaused = true;
            pause(PAUSE_INBOUND);
            if (inboundQueued <= INBOUND_LOW_WATER) {
                resumeForInbound(); // the workers emptied the queue before they could see the pause
            }
        }
    }

    /** The listeners took a queued message; on the worker. */
    void dequeued(long cost) {
        budget.credit(cost);
        // Only a paused socket needs the event loop to hear that its queue went down.
        if (INBOUND.addAndGet(this, -cost) <= INBOUND_LOW_WATER && inboundPaused) {
            if (channel.eventLoop().inEventLoop()) {
                resumeForInbound();
            } else {
                channel.eventLoop().execute(this::resumeForInbound);
            }
        }
    }

    private void resumeForInbound() {
        if (inboundPaused && inboundQueued <= INBOUND_LOW_WATER) {
            inboundPaused = false;
            resume(PAUSE_INBOUND);
        }
    }

    /** Stops reading from the client for {@code reason} (a PAUSE_* bit); on the event loop. */
    void pause(int reason) {
        if (pauseReasons == 0) {
            channel.config().setAutoRead(false);
        }
        boolean wasSuspended = (pauseReasons & ~PAUSE_YIELD) != 0;
        pauseReasons |= reason;
        if (!wasSuspended && (pauseReasons & ~PAUSE_YIELD) != 0) {
            // The client cannot be heard while we do not read: its pongs and messages must not count against it.
            // (A client that does not read our frames is caught by the stalled-queue check instead.) A yield is too
            // short to matter, and must not count as the client's activity when it ends.
            liveness.suspend();
        }
    }

    /** Takes back a pause for {@code reason}; reading resumes when no reason is left. On the event loop. */
    void resume(int reason) {
        if ((pauseReasons & reason) == 0) {
            return;
        }
        boolean wasSuspended = (pauseReasons & ~PAUSE_YIELD) != 0;
        pauseReasons &= ~reason;
        if (wasSuspended && (pauseReasons & ~PAUSE_YIELD) == 0) {
            liveness.resume();
        }
        if (pauseReasons != 0) {
            return;
        }
        newTurn();
        // First what was read before the pause; it may pause again.
        if (channel.isActive() && reader.resume() && pauseReasons == 0) {
            channel.config().setAutoRead(true);
        }
    }

    /** The connection is being dropped: nothing more is read, for good. On the event loop. */
    void stop() {
        reader.stop();
        pause(PAUSE_CLOSED);
    }

    /**
     * True while reading is paused; the frame reader asks before each frame and stops. On the event loop. Besides the
     * pauses already decided, the outbound queue is looked at (workers' sends are charged before they reach the event
     * loop), and a read that has handled {@link #YIELD_EVERY} messages yields: the event loop serves its other
     * connections, then this one goes on.
     */
    boolean paused() {
        if (pauseReasons == 0) {
            out.pauseIfAboveHighWater();
            if (messagesThisTurn >= YIELD_EVERY) {
                pause(PAUSE_YIELD);
                channel.eventLoop().execute(() -> resume(PAUSE_YIELD));
            }
        }
        return pauseReasons != 0;
    }

    /** The read loop of the connection ended (channelReadComplete), or reading resumed: a new turn. */
    void newTurn() {
        messagesThisTurn = 0;
    }

    /**
     * The assembler inflated {@code bytes} of the client's compressed message: past the compression budget,
     * reading pauses until it refills (an honest client slows down; a bomb is held to the budget). Event loop.
     */
    void inflated(long bytes) {
        long waitNanos = compression.inflated(bytes);
        if (waitNanos > 0 && (pauseReasons & PAUSE_INFLATE) == 0) {
            pause(PAUSE_INFLATE);
            channel.eventLoop().schedule(() -> resume(PAUSE_INFLATE), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The assembler's buffer grew or was handed off: the server's budget counts it. */
    void assembling(long delta) {
        if (delta > 0) {
            budget.charge(delta);
        } else if (delta < 0) {
            budget.credit(-delta);
        }
    }
}
