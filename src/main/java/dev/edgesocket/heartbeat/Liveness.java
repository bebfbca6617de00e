package dev.edgesocket.heartbeat;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One socket's heartbeat state, as Deno keeps it: the liveness timer restarts on any text, binary or
 * the pong that answers our ping; after {@code idleTimeout/2} of silence a ping goes out, and another {@code idleTimeout/2}
 * without an answer fails the socket. Independently, no data for {@code maxIdle} closes it.
 * <p>
 * Arrivals only write a timestamp (no timer is touched per message); the check runs at the next
 * deadline, on the socket's event loop, and works out what is due from the timestamps. Far deadlines
 * wait in the {@link HeartbeatScheduler}'s wheel, near ones on the event loop's own timer.
 */
public final class Liveness extends TimingWheel.Entry {

    /** Deadlines closer than this go to the event loop's timer: the wheel turns once a second. */
    static final long NEAR_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /**
     * A ping may go this much early. After a pong the next ping is due one round trip after the pong
     * deadline check; without this slack every cycle would cost a second check a few ms later.
     */
    private static final long MAX_PING_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final Monitored socket;
    private final HeartbeatScheduler scheduler;
    private final long halfIdleNanos;
    private final long maxIdleNanos;
    private final long pingSlackNanos;
    /** A queue with no byte written for this long means a client that does not read. */
    private final long stallNanos;

    // Written by the event loop on arrivals; read by checks on the same loop.
    private long lastInbound;
    private long lastData;
    private long pingSentAt;
    private volatile long lastRoundTripNanos = -1;

    // Confined to the event loop.
    private ScheduledFuture<?> nearCheck;
    private boolean stopped;
    private boolean suspended;

    Liveness(Monitored socket, HeartbeatScheduler scheduler, long idleTimeoutNanos, long maxIdleNanos) {
        this.socket = socket;
        this.scheduler = scheduler;
        this.halfIdleNanos = idleTimeoutNanos / 2;
        this.maxIdleNanos = maxIdleNanos;
        this.pingSlackNanos = Math.min(MAX_PING_SLACK_NANOS, halfIdleNanos / 10);
        this.stallNanos = idleTimeoutNanos > 0 ? idleTimeoutNanos : DEFAULT_STALL_NANOS;
    }

    /** The stall timeout of a socket whose idleTimeout is 0 (no pings). */
    static final long DEFAULT_STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Starts the timers; on the socket's event loop. */
    public void start() {
        long now = System.nanoTime();
        lastInbound = now;
        lastData = now;
        scheduleNext(now);
    }

    /** A text or binary message arrived. */
    public void onData() {
        long now = System.nanoTime();
        lastInbound = now;
        lastData = now;
    }

    /**
     * The pong that answers our last ping arrived (unsolicited pongs do not count: a client that sends them but does
     * not read ours is not alive to us): restarts the liveness timer and records the round trip of our last ping.
     *
     * @return the round trip in nanoseconds when this pong answered our ping, else -1
     */
    public long onPong() {
        long now = System.nanoTime();
        long roundTrip = -1;
        if (pingSentAt != 0 && lastInbound < pingSentAt) {
            roundTrip = now - pingSentAt;
            lastRoundTripNanos = roundTrip;
        }
        lastInbound = now;
        return roundTrip;
    }

    /** The last ping's round trip in nanoseconds, or -1 before the first pong. */
    public long lastRoundTripNanos() {
        return lastRoundTripNanos;
    }

    /**
     * The socket stopped reading from the network (its listeners are behind): pongs and messages cannot
     * be heard, so no deadline counts against the client until {@link #resume()}. On the event loop.
     */
    public void suspend() {
        suspended = true;
    }

    /** Reading resumed: that counts as activity, and the deadlines start again from now. On the event loop. */
    public void resume() {
        suspended = false;
        long now = System.nanoTime();
        lastInbound = now;
        lastData = now;
    }

    /** Stops every timer and leaves the wheel at once; on the socket's event loop. */
    public void stop() {
        stopped = true;
        if (nearCheck != null) {
            nearCheck.cancel(false);
            nearCheck = null;
        }
        scheduler.forget(this);
    }

    /** Due: work out from the timestamps what to do. Runs on the socket's event loop. */
    void check() {
        nearCheck = null;
        if (stopped || !socket.isOpen()) {
            return;
        }
        long now = System.nanoTime();
        // Before anything else, paused or not: a client that sends (pings, pongs, messages) but does not read
        // what we queue for it is not healthy.
        long stalled = socket.outboundStalledNanos(now);
        if (stalled >= stallNanos) {
            socket.outboundStalled(TimeUnit.NANOSECONDS.toMillis(stalled));
            return;
        }
        if (suspended) {
            // Not reading: the client is treated as active, so the deadlines move on without a ping.
            lastInbound = now;
            lastData = now;
            scheduleNext(now);
            return;
        }
        if (socket.hasBacklog()) {
            lastData = now; // its last messages are still being handled: the data-idle clock starts after them
        }
        if (maxIdleNanos > 0 && now - lastData >= maxIdleNanos) {
            socket.dataIdle(TimeUnit.NANOSECONDS.toMillis(now - lastData));
            return;
        }
        if (halfIdleNanos > 0) {
            boolean awaitingPong = pingSentAt != 0 && lastInbound < pingSentAt;
            if (awaitingPong && now - pingSentAt >= halfIdleNanos) {
                socket.pongTimedOut(TimeUnit.NANOSECONDS.toMillis(now - pingSentAt));
                return;
            }
            if (!awaitingPong && now - lastInbound >= halfIdleNanos - pingSlackNanos) {
                pingSentAt = now;
                socket.sendPing();
            }
        }
        scheduleNext(now);
    }

    private void scheduleNext(long now) {
        long next = Long.MAX_VALUE;
        if (halfIdleNanos > 0) {
            boolean awaitingPong = pingSentAt != 0 && lastInbound < pingSentAt;
            next = awaitingPong ? pingSentAt + halfIdleNanos : lastInbound + halfIdleNanos;
        }
        if (maxIdleNanos > 0) {
            next = Math.min(next, lastData + maxIdleNanos);
        }
        long stalled = socket.outboundStalledNanos(now);
        if (stalled > 0) {
            next = Math.min(next, now + stallNanos - stalled);
        } else if (halfIdleNanos == 0) {
            next = Math.min(next, now + stallNanos / 2); // no pings to bring checks: look at the queue now and then
        }
        long delay = Math.max(0, next - now);
        if (delay < NEAR_NANOS) {
            if (nearCheck != null) {
                nearCheck.cancel(false);
            }
            nearCheck = socket.eventLoop().schedule(this::check, delay, TimeUnit.NANOSECONDS);
        } else {
            deadlineNanos = next;
            scheduler.file(this, next);
        }
    }

    /** Set when filed in the wheel; read by the ticking thread. */
    volatile long deadlineNanos;

    /**
     * Called by the ticking thread shortly before the deadline: the check waits on the event loop
     * until the deadline itself. The timer is not kept; if the socket closes first, the check finds
     * it stopped and does nothing.
     */
    void checkAtDeadline() {
        long delay = Math.max(0, deadlineNanos - System.nanoTime());
        socket.eventLoop().schedule(this::check, delay, TimeUnit.NANOSECONDS);
    }

    io.netty.channel.EventLoop eventLoop() {
        return socket.eventLoop();
    }
}
