package dev.edgesocket.heartbeat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.netty.channel.EventLoop;
import io.quarkus.scheduler.Scheduled;

/**
 * The one scheduled bean that polices every socket. Each second it turns the timing wheel and hands
 * the sockets whose deadline falls in that second to their own event loops, where the check runs at
 * the exact deadline (so pings are spread out, not sent in a burst per tick). Its work per tick
 * follows the sockets due, not the sockets open.
 */
@Singleton
public class HeartbeatScheduler {

    /** Seconds in one turn of the wheel: deadlines further out wait a turn, skipped at a glance. */
    private static final int SLOTS = 256;
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final long epoch = System.nanoTime();
    private final TimingWheel wheel = new TimingWheel(SLOTS, 0);
    private final AtomicLong lastTickNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong ticks = new AtomicLong();

    /**
     * Starts watching a socket.
     *
     * @param idleTimeout 0 disables pings
     * @param maxIdle     0 disables the data-idle close
     */
    public Liveness watch(Monitored socket, Duration idleTimeout, Duration maxIdle) {
        return new Liveness(socket, this, idleTimeout.toNanos(), maxIdle.toNanos());
    }

    /** Files a liveness check for the second its deadline falls in (rounded up: a check is never early). */
    void file(Liveness liveness, long deadlineNanos) {
        long second = (deadlineNanos - epoch + TICK_NANOS - 1) / TICK_NANOS;
        wheel.add(liveness, second);
        // The wheel hands out two seconds ahead, so a deadline may fall in a second it has already handed
        // out (or turns past while we file): then the event loop's timer takes it, unless a tick already did.
        if (second <= wheel.processedSecond() && wheel.removeIfPresent(liveness)) {
            liveness.checkAtDeadline();
        }
    }

    void forget(Liveness liveness) {
        wheel.remove(liveness);
    }

    @Scheduled(every = "1s", identity = "edgesocket-heartbeat", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        long nowSecond = currentSecond();
        // Checks are grouped per event loop and per 50 ms of deadline: one timer wakes a loop for all the
        // sockets due in that slice. Pings still go out spread over the second, 20 slices of it, and no
        // check is more than a slice late, instead of one wake-up per socket.
        Map<EventLoop, Map<Long, List<Liveness>>> due = new HashMap<>();
        // Two seconds ahead, not one: the scheduler's own 1 s trigger check lets a tick run up to a second
        // late, and a deadline must not wait for the tick after that.
        wheel.advance(nowSecond + 2, entry -> {
            Liveness liveness = (Liveness) entry;
            long slice = (liveness.deadlineNanos - epoch + SLICE_NANOS - 1) / SLICE_NANOS;
            due.computeIfAbsent(liveness.eventLoop(), loop -> new HashMap<>())
                    .computeIfAbsent(slice, k -> new ArrayList<>()).add(liveness);
        });
        long now = System.nanoTime();
        due.forEach((loop, slices) -> slices.forEach((slice, batch) -> {
            long delay = Math.max(0, epoch + slice * SLICE_NANOS - now);
            loop.schedule(() -> batch.forEach(Liveness::check), delay, TimeUnit.NANOSECONDS);
        }));
        lastTickNanos.set(System.nanoTime());
        ticks.incrementAndGet();
    }

    private long currentSecond() {
        return (System.nanoTime() - epoch) / TICK_NANOS;
    }

    /** When the wheel last turned ({@link System#nanoTime()}), for the liveness probe. */
    public long lastTickNanos() {
        return lastTickNanos.get();
    }

    public long ticks() {
        return ticks.get();
    }

    /** Sockets waiting in the wheel (a full count: for tests and diagnostics). */
    public int watched() {
        return wheel.size();
    }
}
