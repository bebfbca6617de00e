package dev.edgesocket.serial;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.jboss.logging.Logger;

/**
 * Runs tasks one at a time, in order, on a shared pool: at most one drain task is in the pool's queue, so the pool's
 * queue is bounded by the number of serial executors with work, and a drain runs a bounded batch and then yields its
 * thread, so a busy one cannot starve the others. A task that throws is logged and the next one runs. Used for a
 * socket's events (worker dispatch) and for a channel object's listeners that belong to no socket.
 */
public final class SerialExecutor implements Executor, Runnable {

    private static final Logger LOG = Logger.getLogger(SerialExecutor.class);
    private static final int BATCH = 64;

    private final Executor pool;
    private ArrayDeque<Runnable> queue;
    private boolean scheduled;

    public SerialExecutor(Executor pool) {
        this.pool = pool;
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
            pool.execute(this);
        } catch (RejectedExecutionException e) {
            // Only during shutdown. Never run tasks here, on what may be an event loop: a thread of its own drains
            // what is left, so close events still reach the script.
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
                    queue = null; // an idle executor holds no queue
                    return;
                }
            }
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("A serial task failed", t);
            }
        }
        submit();
    }
}
