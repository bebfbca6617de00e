package dev.edgesocket.runtime;

import java.util.concurrent.Executor;

import dev.edgesocket.serial.SerialExecutor;

import io.netty.channel.EventLoop;

/**
 * Runs one socket's events in order, never two at once: either serially on the worker pool ({@link SerialExecutor}),
 * or on the socket's own event loop (the zone's {@code dispatch=event-loop}).
 */
interface EventExecutor extends Executor {

    static EventExecutor onEventLoop(EventLoop loop) {
        // Events are raised on the socket's event loop, so running them inline keeps their order.
        return task -> {
            if (loop.inEventLoop()) {
                task.run();
            } else {
                loop.execute(task);
            }
        };
    }

    static EventExecutor serialOn(Executor workers) {
        return new SerialExecutor(workers)::execute;
    }
}
