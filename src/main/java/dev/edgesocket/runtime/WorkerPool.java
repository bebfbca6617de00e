package dev.edgesocket.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.config.EdgesocketConfig;

/**
 * The threads that run scripts and listeners of {@code dispatch=worker} zones, so that a listener may
 * block without stalling the event loop or other sockets. Its queue holds at most one task per socket
 * (see {@link dev.edgesocket.serial.SerialExecutor}) plus one per request being served.
 */
@Singleton
public class WorkerPool implements Executor {

    private final ThreadPoolExecutor pool;

    @Inject
    public WorkerPool(EdgesocketConfig config) {
        int threads = config.workers().threads() > 0
                ? config.workers().threads()
                : Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
        AtomicInteger counter = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "edgesocket-worker-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @PreDestroy
    void shutdown() {
        pool.shutdown();
    }
}
