package dev.edgesocket.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Fan-out through a chat room (the chat example's protocol): one publisher and {@code subscribers} subscribers
 * in one room, the subscribers spread in turn over the servers of {@code urls} (comma-separated
 * {@code ws://host:port}), the publisher on the first. The server posts what the publisher sends to every other
 * socket of the room as {@code {"type":"message",...,"text":"<seq> <nanos>",...}}; each subscriber times every
 * such message from the nanoTime in its text (publisher and subscribers share this JVM's clock).
 * <p>
 * Closed loop first: at most {@code window} messages in flight, a message being done when every subscriber has
 * it (or after {@code lostAfterMs}, its missing deliveries counted), so the publisher never runs ahead of the
 * slowest subscriber and no server buffer fills: the figure is sustainable throughput. Then, with {@code rate}
 * above 0, a fixed rate of messages per second for {@code rateSeconds} (after a 2 s warm-up), timed from when
 * each was due: latency at one load that every server can take. Prints one {@code RESULT mode=fanout ...} line
 * per phase; deliveriesPerSec sums over subscribers, p50us/p99us are per delivery (publish to receipt) and
 * allP99us is from publish to the last subscriber's receipt.
 */
final class FanoutMode {

    private static final int RING = 1 << 16;
    private static final int DONE = Integer.MIN_VALUE / 2;
    private static final String MARK = "\"text\":\"";

    private final List<URI> urls = new ArrayList<>();
    private final String path;
    private final String room;
    private final int subscribers;
    private final int window;
    private final int warmupSeconds;
    private final int seconds;
    private final int rate;
    private final int rateSeconds;
    private final int eventLoops;
    private final long lostAfterNanos;
    private final String padding;

    /** Per message (seq % RING): deliveries still expected, and when it was sent (or due). */
    private final AtomicIntegerArray remaining = new AtomicIntegerArray(RING);
    private final AtomicLongArray sentAt = new AtomicLongArray(RING);
    private final AtomicLong nextSeq = new AtomicLong();
    /** The oldest message not yet done or given up on. */
    private final AtomicLong oldest = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final Recorder perDelivery = new Recorder(3);
    private final Recorder perMessage = new Recorder(3);
    private volatile boolean closedLoop = true;
    private WebSocket publisher;

    FanoutMode(LoadGen.Options o) {
        for (String u : o.text("urls", "ws://127.0.0.1:8080").split(",")) {
            urls.add(URI.create(u.strip()));
        }
        path = o.text("path", "/chat");
        room = o.text("room", "bench");
        subscribers = o.integer("subscribers", 1000);
        window = o.integer("window", 4);
        warmupSeconds = o.integer("warmup", 5);
        seconds = o.integer("seconds", 10);
        rate = o.integer("rate", 0);
        rateSeconds = o.integer("rateSeconds", 10);
        eventLoops = o.integer("eventLoops", 1);
        lostAfterNanos = TimeUnit.MILLISECONDS.toNanos(o.integer("lostAfterMs", 2000));
        padding = "x".repeat(Math.max(0, o.integer("padding", 0)));
    }

    int run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(subscribers + 1).setConnectTimeout(10_000));
        for (int i = 0; i < RING; i++) {
            remaining.set(i, DONE);
        }
        // Subscribers first, 32 handshakes at a time, then the publisher: every join is announced to the room.
        List<Future<WebSocket>> batch = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            batch.add(connect(client, urls.get(i % urls.size()), "s" + i).onSuccess(this::subscribe));
            if (batch.size() == 32 || i == subscribers - 1) {
                Future.all(batch).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                batch.clear();
            }
        }
        publisher = connect(client, urls.get(0), "pub").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        publisher.closeHandler(v -> errors.incrementAndGet());
        publisher.textMessageHandler(t -> { });
        Thread.sleep(2000); // the storm of join announcements passes
        long errorsAfterConnect = errors.get();
        if (errorsAfterConnect > 0) {
            System.err.println(errorsAfterConnect + " sockets closed or failed while connecting");
        }
        vertx.setPeriodic(50, id -> giveUpOnLost());
        vertx.runOnContext(v -> {
            for (int k = 0; k < window; k++) {
                publish(System.nanoTime());
            }
        });
        measure("closed", warmupSeconds, seconds);
        if (rate > 0) {
            closedLoop = false;
            Thread.sleep(lostAfterNanos / 1_000_000 + 200); // what is in flight arrives or is given up on
            long perMessage = TimeUnit.SECONDS.toNanos(1) / rate;
            long[] next = {System.nanoTime()};
            vertx.setPeriodic(1, id -> {
                long now = System.nanoTime();
                while (next[0] <= now) { // every due message is sent, and timed from when it was due
                    publish(next[0]);
                    next[0] += perMessage;
                }
            });
            measure("rate", 2, rateSeconds);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return 0;
    }

    private Future<WebSocket> connect(WebSocketClient client, URI url, String user) {
        return client.connect(new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
                .setURI(path + "?room=" + room + "&user=" + user));
    }

    private void subscribe(WebSocket ws) {
        ws.exceptionHandler(t -> errors.incrementAndGet());
        ws.closeHandler(v -> errors.incrementAndGet());
        ws.textMessageHandler(this::received);
    }

    private void publish(long stamp) {
        long seq = nextSeq.getAndIncrement();
        int slot = (int) (seq % RING);
        sentAt.set(slot, stamp);
        remaining.set(slot, subscribers);
        publisher.writeTextMessage(seq + " " + stamp + padding);
    }

    /** A subscriber's message: joins, leaves and welcomes are let by; chat messages are timed and counted. */
    private void received(String json) {
        long now = System.nanoTime();
        if (!json.startsWith("{\"type\":\"message\"")) {
            return;
        }
        int start = json.indexOf(MARK) + MARK.length();
        int space = json.indexOf(' ', start);
        int end = json.indexOf('"', space);
        if (start < MARK.length() || space < 0 || end < 0) {
            errors.incrementAndGet();
            return;
        }
        long seq = Long.parseLong(json, start, space, 10);
        int digitsEnd = space + 1;
        while (digitsEnd < end && Character.isDigit(json.charAt(digitsEnd))) {
            digitsEnd++;
        }
        long stamp = Long.parseLong(json, space + 1, digitsEnd, 10);
        perDelivery.recordValue(Math.max(0, now - stamp));
        delivered.incrementAndGet();
        int slot = (int) (seq % RING);
        if (remaining.decrementAndGet(slot) == 0) {
            perMessage.recordValue(Math.max(0, now - stamp));
            completed.incrementAndGet();
            remaining.set(slot, DONE);
            advanceOldest();
            if (closedLoop) {
                publish(System.nanoTime());
            }
        }
    }

    /** Moves past the messages that are done; the window counts from the oldest that is not. */
    private void advanceOldest() {
        long o;
        while ((o = oldest.get()) < nextSeq.get() && remaining.get((int) (o % RING)) <= DONE / 2) {
            oldest.compareAndSet(o, o + 1);
        }
    }

    /** A message some subscriber never got (dropped, or its socket closed) frees its place after lostAfterMs. */
    private void giveUpOnLost() {
        long now = System.nanoTime();
        long o;
        while ((o = oldest.get()) < nextSeq.get()) {
            int slot = (int) (o % RING);
            int left = remaining.get(slot);
            if (left > DONE / 2 && now - sentAt.get(slot) < lostAfterNanos) {
                return;
            }
            if (left > DONE / 2 && remaining.compareAndSet(slot, left, DONE)) {
                missing.addAndGet(left);
                if (closedLoop) {
                    publish(System.nanoTime());
                }
            }
            oldest.compareAndSet(o, o + 1);
        }
    }

    private void measure(String phase, int warmup, int measured) throws InterruptedException {
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup));
        perDelivery.getIntervalHistogram();
        perMessage.getIntervalHistogram();
        long delivered0 = delivered.get();
        long completed0 = completed.get();
        long missing0 = missing.get();
        long errors0 = errors.get();
        long sent0 = nextSeq.get();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(measured));
        Histogram d = perDelivery.getIntervalHistogram();
        Histogram m = perMessage.getIntervalHistogram();
        double elapsed = (System.nanoTime() - t0) / 1e9;
        double clientCpu = 100.0 * (os.getProcessCpuTime() - cpu0) / 1e9 / elapsed;
        System.out.printf("RESULT mode=fanout phase=%s nodes=%d subscribers=%d window=%s offered=%s publishedPerSec=%.0f "
                        + "completedPerSec=%.0f deliveriesPerSec=%.0f p50us=%.0f p99us=%.0f p999us=%.0f maxus=%.0f "
                        + "allP50us=%.0f allP99us=%.0f missing=%d errors=%d clientCpu=%.0f%n",
                phase, urls.size(), subscribers, phase.equals("closed") ? String.valueOf(window) : "-",
                phase.equals("closed") ? "-" : String.valueOf(rate), (nextSeq.get() - sent0) / elapsed,
                (completed.get() - completed0) / elapsed, (delivered.get() - delivered0) / elapsed,
                d.getValueAtPercentile(50) / 1e3, d.getValueAtPercentile(99) / 1e3, d.getValueAtPercentile(99.9) / 1e3,
                d.getMaxValue() / 1e3, m.getValueAtPercentile(50) / 1e3, m.getValueAtPercentile(99) / 1e3,
                missing.get() - missing0, errors.get() - errors0, clientCpu);
        System.out.flush();
    }
}
