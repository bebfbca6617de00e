package dev.edgesocket.bench;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Upgrade load, closed loop: each of {@code concurrency} loops opens a connection, completes the WebSocket
 * handshake, closes it (close handshake) and opens the next. The upgrade latency is from the start of the TCP
 * connect to the handshake's 101, in HdrHistogram. The connections come from {@code localAddresses} loopback
 * addresses in turn (127.0.0.1, 127.0.0.2, ...), so the ephemeral ports of a few hundred thousand short
 * connections do not run out. Prints {@code RESULT mode=upgrades upgradesPerSec=... p50us=... p99us=...}.
 */
final class UpgradeMode {

    private final URI url;
    private final int concurrency;
    private final int warmupSeconds;
    private final int seconds;
    private final int eventLoops;
    private final int localAddresses;

    UpgradeMode(LoadGen.Options o) {
        url = URI.create(o.text("url", "ws://127.0.0.1:8080/echo"));
        concurrency = o.integer("concurrency", 16);
        warmupSeconds = o.integer("warmup", 3);
        seconds = o.integer("seconds", 10);
        eventLoops = o.integer("eventLoops", 1);
        localAddresses = o.integer("localAddresses", 16);
    }

    int run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        WebSocketClient[] clients = new WebSocketClient[localAddresses];
        for (int i = 0; i < localAddresses; i++) {
            clients[i] = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(concurrency)
                    .setLocalAddress("127.0.0." + (1 + i)).setConnectTimeout(10_000));
        }
        Recorder recorder = new Recorder(3);
        AtomicLong upgrades = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong turn = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        WebSocketConnectOptions options = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                .setURI(url.getRawPath());
        Runnable[] loop = new Runnable[1];
        loop[0] = () -> {
            if (!running.get()) {
                return;
            }
            long start = System.nanoTime();
            WebSocketClient client = clients[(int) (turn.getAndIncrement() % localAddresses)];
            client.connect(options).onComplete(result -> {
                if (result.failed()) {
                    errors.incrementAndGet();
                    vertx.setTimer(10, id -> loop[0].run());
                    return;
                }
                recorder.recordValue(System.nanoTime() - start);
                upgrades.incrementAndGet();
                result.result().closeHandler(v -> loop[0].run());
                result.result().close();
            });
        };
        for (int i = 0; i < concurrency; i++) {
            vertx.runOnContext(v -> loop[0].run());
        }
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));
        recorder.getIntervalHistogram();
        long before = upgrades.get();
        long errorsBefore = errors.get();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        Histogram h = recorder.getIntervalHistogram();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double clientCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / 1e9 / elapsed;
        long count = upgrades.get() - before;
        running.set(false);
        System.out.printf("RESULT mode=upgrades concurrency=%d upgradesPerSec=%.0f p50us=%.0f p99us=%.0f p999us=%.0f "
                        + "maxus=%.0f errors=%d clientCpu=%.0f%n",
                concurrency, count / elapsed, h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, errors.get() - errorsBefore, clientCpu);
        System.out.flush();
        Thread.sleep(500);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return 0;
    }
}
