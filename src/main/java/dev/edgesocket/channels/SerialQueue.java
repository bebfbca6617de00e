package dev.edgesocket.channels;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in order, on a shared worker pool: at most one drain task is in the pool's queue,
 * and a drain yields its thread after a batch. Bounded by the channel object's pending count.
 */
final class SerialQueue implements Executor, Runnable {

    private static final int BATCH = 64;

    private final Executor workers;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>(4);
    private boolean scheduled;

    SerialQueue(Executor workers) {
        this.workers = workers;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            queue.add(task);
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        workers.execute(this);
    }

    @Override
    public void run() {
        for (int i = 0; i < BATCH; i++) {
            Runnable task;
            synchronized (this) {
                task = queue.poll();
                if (task == null) {
                    scheduled = false;
                    return;
                }
            }
            task.run();
        }
        workers.execute(this);
    }
}
