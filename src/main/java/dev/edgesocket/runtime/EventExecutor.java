package dev.edgesocket.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jboss.logging.Logger;

import io.netty.channel.EventLoop;

/**
 * Runs one socket's events in order, never two at once: either serially on the worker pool, or on
 * the socket's own event loop (the zone's {@code dispatch=event-loop}).
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
        return new Serial(workers);
    }

    /**
     * A serial queue over a shared pool: at most one drain task per socket is in the pool's queue,
     * so the pool's queue is bounded by the number of open sockets. A drain runs a bounded batch
     * and then yields its thread, so a chatty socket cannot starve the others.
     */
    final class Serial implements EventExecutor, Runnable {

        private static final Logger LOG = Logger.getLogger(Serial.class);
        private static final int BATCH = 64;

        private final Executor workers;
        private ArrayDeque<Runnable> queue;
        private boolean scheduled;

        Serial(Executor workers) {
            this.workers = workers;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                if (queue == null) {
                    queue = new ArrayDeque<>(4);
                }
                queue.add(task);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            submit();
        }

        private void submit() {
            try {
                workers.execute(this);
            } catch (RejectedExecutionException e) {
                // Only during shutdown. Never run listeners here, on what may be the event loop: a thread
                // of its own drains what is left, so close events still reach the script.
                Thread drain = new Thread(this, "edgesocket-shutdown-drain");
                drain.setDaemon(true);
                drain.start();
            }
        }

        @Override
        public void run() {
            for (int i = 0; i < BATCH; i++) {
                Runnable task;
                synchronized (this) {
                    task = queue.poll();
                    if (task == null) {
                        scheduled = false;
                        queue = null; // an idle socket holds no queue
                        return;
                    }
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    LOG.error("An event task failed", t);
                }
            }
            submit();
        }
    }
}
