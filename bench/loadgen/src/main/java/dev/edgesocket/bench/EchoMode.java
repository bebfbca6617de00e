package dev.edgesocket.bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Echo load. Closed loop ({@code echo}): each of {@code connections} keeps {@code inFlight} messages
 * outstanding and sends the next as soon as an echo returns. Open loop ({@code rate}): {@code rate}
 * messages per second in all, spread evenly over the connections on a fixed schedule; latency is
 * measured from when each message was due, not when it went out, so a stalled server is not hidden
 * (coordinated omission). Warm-up first, then the measured period. Latencies go to HdrHistogram.
 * With {@code thenRate=R} the closed loop is followed, on the same warm connections and the same warm JVM, by
 * an open loop at R messages per second for {@code thenSeconds} (after a 2 s warm-up): latency at one load
 * that every server can take, which a closed loop cannot give (its latency follows its throughput).
 */
final class EchoMode {

    private final boolean openLoop;
    private final URI url;
    private final int connections;
    private final int inFlight;
    private final int size;
    private final boolean binary;
    private final int warmupSeconds;
    private final int seconds;
    private final int rate;
    private final int eventLoops;
    private final int thenRate;
    private final int thenSeconds;
    /**
     * A process whose CPU (utime+stime of /proc/&lt;pid&gt;/stat) is read over each measured period: the proxy of
     * bench/origins.sh, so that its CPU per echo covers exactly the echoes counted. 0: none.
     */
    private final long serverPid;
    /** Clock ticks per second of /proc/&lt;pid&gt;/stat (getconf CLK_TCK). */
    private final int clockTicks;
    /** Closed loop: each echo sends the next message. Cleared to hand over to the open loop. */
    private volatile boolean closedLoop;

    EchoMode(LoadGen.Options o, boolean openLoop) {
        this.openLoop = openLoop;
        url = URI.create(o.text("url", "ws://127.0.0.1:8080/echo"));
        connections = o.integer("connections", 100);
        inFlight = o.integer("inFlight", 4);
        size = o.integer("size", 32);
        binary = o.text("type", "text").equals("binary");
        warmupSeconds = o.integer("warmup", 5);
        seconds = o.integer("seconds", 10);
        rate = o.integer("rate", 20000);
        eventLoops = o.integer("eventLoops", 1);
        thenRate = o.integer("thenRate", 0);
        thenSeconds = o.integer("thenSeconds", 5);
        serverPid = Long.parseLong(o.text("serverPid", "0"));
        clockTicks = o.integer("clockTicks", 100);
        closedLoop = !openLoop;
    }

    /** One connection's state; touched only on its event loop. */
    private final class Conn {
        final WebSocket ws;
        final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        final String text;
        final Buffer bytes;

        Conn(WebSocket ws) {
            this.ws = ws;
            byte[] payload = new byte[size];
            java.util.Arrays.fill(payload, (byte) 'x');
            text = new String(payload, StandardCharsets.US_ASCII);
            bytes = Buffer.buffer(payload);
        }

        void send(long dueNanos) {
            sentAt.addLast(dueNanos);
            if (binary) {
                ws.writeBinaryMessage(bytes);
            } else {
                ws.writeTextMessage(text);
            }
        }
    }

    int run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(connections).setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20));
        Recorder recorder = new Recorder(3);
        AtomicLong received = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            WebSocket ws = client.connect(new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                    .setURI(url.getRawPath())).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Conn c = new Conn(ws);
            conns.add(c);
            ws.exceptionHandler(t -> errors.incrementAndGet());
            ws.closeHandler(v -> errors.incrementAndGet());
            io.vertx.core.Handler<Void> onEcho = v -> {
                Long due = c.sentAt.pollFirst();
                if (due == null) {
                    errors.incrementAndGet();
                    return;
                }
                recorder.recordValue(Math.max(0, System.nanoTime() - due));
                received.incrementAndGet();
                if (closedLoop) {
                    c.send(System.nanoTime());
                }
            };
            // A reply that is not the echo counts as an error: every server must do the same work.
            String expected = "Echo: " + c.text;
            if (binary) {
                ws.binaryMessageHandler(b -> {
                    if (!b.equals(c.bytes)) {
                        errors.incrementAndGet();
                    }
                    onEcho.handle(null);
                });
            } else {
                ws.textMessageHandler(t -> {
                    if (!t.equals(expected)) {
                        errors.incrementAndGet();
                    }
                    onEcho.handle(null);
                });
            }
        }
        if (openLoop) {
            startOpenLoop(vertx, conns, rate);
        } else {
            for (Conn c : conns) {
                vertx.runOnContext(v -> {
                    for (int k = 0; k < inFlight; k++) {
                        c.send(System.nanoTime());
                    }
                });
            }
        }
        measure(recorder, received, errors, warmupSeconds, seconds, openLoop ? rate : 0);
        if (!openLoop && thenRate > 0) {
            closedLoop = false; // the messages in flight come back and send nothing more
            Thread.sleep(500);
            startOpenLoop(vertx, conns, thenRate);
            measure(recorder, received, errors, 2, thenSeconds, thenRate);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return 0;
    }

    /**
     * Each connection sends on its own fixed schedule, offset so they interleave; one 1 ms timer sends whatever
     * has come due, so the generator's own lag stays under a millisecond.
     */
    private void startOpenLoop(Vertx vertx, List<Conn> conns, int messagesPerSecond) {
        long perConnectionNanos = TimeUnit.SECONDS.toNanos(1) * conns.size() / messagesPerSecond;
        long start = System.nanoTime();
        long[] next = new long[conns.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = start + perConnectionNanos * i / conns.size();
        }
        vertx.setPeriodic(1, id -> {
            long now = System.nanoTime();
            for (int i = 0; i < next.length; i++) {
                while (next[i] <= now) { // every due message is sent and timed from when it was due
                    conns.get(i).send(next[i]);
                    next[i] += perConnectionNanos;
                }
            }
        });
    }

    /** Drops the warm-up, measures, prints one RESULT line. {@code offered} 0 means the closed loop. */
    private void measure(Recorder recorder, AtomicLong received, AtomicLong errors, int warmup, int measured, int offered)
            throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        recorder.getIntervalHistogram(); // drop the warm-up
        long before = received.get();
        long errorsBefore = errors.get();
        // The generator's own CPU over the measured period: near 100 % of its one event loop means the
        // figure is the generator's limit, not the server's.
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long server0 = serverTicks();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(measured));
        Histogram h = recorder.getIntervalHistogram();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double clientCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / 1e9 / elapsed;
        long count = received.get() - before;
        long serverTicks = serverTicks() - server0;
        System.out.printf("RESULT mode=%s connections=%d inFlight=%d size=%d type=%s offered=%s msgsPerSec=%.0f "
                        + "p50us=%.0f p99us=%.0f p999us=%.0f maxus=%.0f errors=%d clientCpu=%.0f%n",
                offered > 0 ? "rate" : "echo", connections, offered > 0 ? 0 : inFlight, size, binary ? "binary" : "text",
                offered > 0 ? String.valueOf(offered) : "-", count / elapsed,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3, errors.get() - errorsBefore, clientCpu);
        if (serverPid > 0) {
            // One echo is two messages through a proxy (client to origin, origin to client).
            System.out.printf("SERVERCPU mode=%s serverCpu=%.1f serverUsPerEcho=%.2f%n", offered > 0 ? "rate" : "echo",
                    100.0 * serverTicks / clockTicks / elapsed, count == 0 ? 0 : 1e6 * serverTicks / clockTicks / count);
        }
        System.out.flush();
    }

    /** utime + stime of {@code serverPid} in clock ticks, 0 without one. */
    private long serverTicks() {
        if (serverPid <= 0) {
            return 0;
        }
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + serverPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
