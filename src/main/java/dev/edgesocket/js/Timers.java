package dev.edgesocket.js;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.graalvm.polyglot.Value;

import dev.edgesocket.api.WebSocket;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * The Java half of {@code setTimeout} and {@code setInterval}: the runtime keeps the callbacks by id, this class
 * schedules each id on the realm's loop and fires it back. A timer belongs to the socket whose callback set it,
 * so a runaway timer callback closes that socket.
 */
final class Timers {

    /** {@code null} for the context that checks the script at start: its timers never fire. */
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final Natives.Entries entries;
    // Pending timers by id: removed when they fire or are cleared. Touched on the loop only.
    private final Map<Integer, ScheduledFuture<?>> pending = new HashMap<>();

    Timers(EventLoop loop, Callbacks callbacks, Natives.Entries entries) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.entries = entries;
    }

    void schedule(int id, long delayMillis) {
        if (loop == null || callbacks.closed()) {
            return; // the load check's context: nothing runs later
        }
        WebSocket timerOwner = callbacks.owner();
        Value fire = entries.fireTimer();
        ScheduledFuture<?> timer = loop.schedule(() -> {
            pending.remove(id);
            if (!callbacks.closed()) {
                callbacks.enter(timerOwner, () -> fire.execute(id));
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        pending.put(id, timer);
    }

    void cancel(int id) {
        ScheduledFuture<?> timer = pending.remove(id);
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** Cancels every pending timer (on the loop, when the realm closes). */
    void close() {
        pending.values().forEach(t -> t.cancel(false));
        pending.clear();
    }
}
