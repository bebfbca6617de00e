package dev.edgesocket.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;

import org.HdrHistogram.Histogram;

/**
 * A hostile client beside a healthy one (issue 19, bench/attacks.sh). Over raw TCP sockets on loopback:
 * <ul>
 * <li>the <b>probe</b>: one healthy socket on {@code probe} (a path) sending a small text every {@code every} ms on a
 * fixed schedule and reading every echo; latency is timed from when each message was due (a stalled server is
 * not hidden), and only messages due inside the attack window count;</li>
 * <li>{@code sockets} <b>attackers</b> on {@code path}, started after {@code warmup} seconds of probe alone and
 * attacking for {@code seconds}: {@code kind=ping} (125-byte pings as fast as TCP takes them plus an unsolicited
 * pong every 100, never reading, receive window {@code window} bytes), {@code empty} (empty text messages, never
 * reading), {@code byte} (1-byte binary messages, never reading), {@code big} (1 MiB binary messages, never
 * reading), {@code bomb} (permessage-deflate text of 1 MiB of 'a', about 1 KB on the wire, reading and discarding
 * every echo and answering pings) or {@code none} (the baseline). An attacker the server closes connects again at
 * once, up to {@code maxConnections} times per socket; a refused upgrade (503 past the server's budget) is tried
 * again after 250 ms.</li>
 * </ul>
 * The server's CPU (utime+stime of {@code /proc/<serverPid>/stat}) is read at the window's start and end; once a
 * second in the window, its queued bytes and used heap ({@code /q/metrics}), for their peaks. At the end, the attack
 * still on: the queued bytes and the live heap ({@code jcmd GC.class_histogram}: a full collection); then the
 * attackers and the probe stop and, 2 s later, the live heap again, the queued bytes, liveness, and the closes
 * counted by the server for the attacked zone. A {@code TIMELINE} line gives, per second of the window, the probe's
 * slowest echo and the attackers' closes.
 * One {@code RESULT} line.
 */
final class AttackMode {

    private static final int TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    private final String kind;
    private final String host;
    private final int port;
    private final String path;
    private final String zone;
    private final String probePath;
    private final int sockets;
    private final int warmupSeconds;
    private final int seconds;
    private final int everyMillis;
    private final long serverPid;
    private final int hz;
    private final int window;
    private final int maxConnections;
    /** A warm-up run: no heap, no waits after the window. */
    private final boolean quick;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private volatile boolean stopping;
    private final List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger failedToConnect = new AtomicInteger();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final AtomicInteger openAtEnd = new AtomicInteger();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private final List<Long> closeMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> closeFramesSeen = Collections.synchronizedList(new ArrayList<>());
    private volatile String lastRefusal = "";
    /** Per second of the window: the probe's slowest echo (by when it was due, µs) and the attackers' closes. */
    private final AtomicLongArray slowestPerSecond = new AtomicLongArray(3600);
    private final AtomicLongArray closesPerSecond = new AtomicLongArray(3600);
    private final AtomicLongArray bytesPerSecond = new AtomicLongArray(3600);
    private final AtomicLongArray queuedPerSecond = new AtomicLongArray(3600);
    private volatile long windowStartNanos = Long.MAX_VALUE;

    AttackMode(LoadGen.Options o) {
        kind = o.text("kind", "none");
        URI url = URI.create(o.text("url", "ws://127.0.0.1:8080"));
        host = url.getHost();
        port = url.getPort();
        path = o.text("path", "/hw");
        zone = o.text("zone", path.substring(1));
        probePath = o.text("probe", "/calm");
        sockets = o.integer("sockets", 1);
        warmupSeconds = o.integer("warmup", 3);
        seconds = o.integer("seconds", 15);
        everyMillis = o.integer("every", 10);
        serverPid = Long.parseLong(o.text("serverPid", "0"));
        hz = o.integer("hz", 100);
        window = o.integer("window", 4096);
        maxConnections = o.integer("maxConnections", 200);
        quick = o.flag("quick", false);
        if (!host.equals("127.0.0.1") && !host.equals("localhost") && !host.equals("::1")) {
            throw new IllegalArgumentException("attacks go to loopback only, not " + host);
        }
    }

    int run() throws Exception {
        Map<String, Double> before = closes();
        double shedBefore = metric("edgesocket_budget_closes_total");
        double timeoutsBefore = zoneCounter("edgesocket_heartbeat_timeouts_total");
        Probe probe = new Probe();
        probe.start();
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupSeconds));

        long cpu0 = cpuTicks();
        long t0 = System.nanoTime();
        long end = t0 + TimeUnit.SECONDS.toNanos(seconds);
        probe.windowStart = t0;
        probe.windowEnd = end;
        windowStartNanos = t0;
        // Once a second: the server's queued bytes and used heap (one scrape of /q/metrics, the baseline too).
        double[] peaks = new double[3];
        Thread sampler = new Thread(() -> {
            for (long next = t0 + 500_000_000L; next < end; next += 1_000_000_000L) {
                LockSupport.parkNanos(next - System.nanoTime());
                try {
                    String m = get("/q/metrics");
                    double queued = sum(m, "edgesocket_queued_bytes", "");
                    peaks[0] = Math.max(peaks[0], queued);
                    queuedPerSecond.set(second(System.nanoTime()), (long) queued);
                    peaks[1] = Math.max(peaks[1], sum(m, "jvm_memory_used_bytes", "area=\"heap\""));
                    peaks[2] = Math.max(peaks[2], sum(m, "netty_allocator_memory_used", "memory_type=\"direct\""));
                } catch (Exception e) {
                    // a missed sample
                }
            }
        }, "sampler");
        sampler.setDaemon(true);
        sampler.start();
        List<Thread> attackers = new ArrayList<>();
        if (!kind.equals("none")) {
            byte[] chunk = chunk();
            for (int i = 0; i < sockets; i++) {
                Thread t = new Thread(() -> attack(chunk, end), "attacker-" + i);
                t.setDaemon(true);
                t.start();
                attackers.add(t);
            }
        }
        LockSupport.parkNanos(end - System.nanoTime());
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
        long cpu1 = cpuTicks();
        double windowSeconds = (System.nanoTime() - t0) / 1e9;
        sampler.join(5_000);

        // The attack still on: what the server holds for it.
        double queuedAtEnd = metric("edgesocket_queued_bytes");
        long rssAtEnd = rssKiB();
        long liveHeapUnderAttack = quick ? -1 : liveHeapKiB();

        stopping = true;
        synchronized (open) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
        for (Thread t : attackers) {
            t.join(10_000);
        }
        Thread.sleep(1000); // the probe's last echoes
        probe.stop();
        if (quick) {
            System.out.println("RESULT mode=attack kind=" + kind + " quick=true");
            return 0;
        }
        Thread.sleep(2000);
        long liveHeapAfter = liveHeapKiB();
        double queuedAfter = metric("edgesocket_queued_bytes");
        String live = liveness();
        Map<String, Double> after = closes();
        StringBuilder codes = new StringBuilder();
        for (Map.Entry<String, Double> e : after.entrySet()) {
            double n = e.getValue() - before.getOrDefault(e.getKey(), 0.0);
            if (n > 0) {
                codes.append(codes.isEmpty() ? "" : ",").append(e.getKey()).append(':').append(Math.round(n));
            }
        }
        double shed = metric("edgesocket_budget_closes_total") - shedBefore;
        double timeouts = zoneCounter("edgesocket_heartbeat_timeouts_total") - timeoutsBefore;

        List<Long> times = new ArrayList<>(closeMillis);
        Collections.sort(times);
        Histogram h = probe.histogram;
        System.out.printf(java.util.Locale.ROOT,
                "RESULT mode=attack kind=%s zone=%s sockets=%d seconds=%.1f probeSent=%d probeEchoed=%d probeLost=%d"
                        + " probeClosed=%s p50us=%d p99us=%d maxus=%d serverCpuPct=%.1f queuedAtEndKiB=%.0f"
                        + " liveHeapAttackKiB=%d liveHeapAfterKiB=%d queuedAfterKiB=%.0f live=%s opened=%d refused=%d"
                        + " connectFailed=%d closedByServer=%d openAtEnd=%d closeFirstMs=%s closeMedianMs=%s closeMaxMs=%s"
                        + " serverCloses=%s budgetCloses=%.0f closeFramesRead=%s sentMiB=%.1f echoes=%d refusal=%s"
                        + " queuedMaxKiB=%.0f heapUsedMaxKiB=%.0f sendLagP99us=%d heartbeatTimeouts=%.0f directMaxKiB=%.0f"
                        + " rssAtEndKiB=%d%n",
                kind, kind.equals("none") ? "-" : zone, kind.equals("none") ? 0 : sockets, windowSeconds,
                probe.sentInWindow.get(), h.getTotalCount(), probe.sentInWindow.get() - h.getTotalCount(),
                probe.closed, h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getMaxValue(),
                100.0 * (cpu1 - cpu0) / hz / windowSeconds, queuedAtEnd / 1024, liveHeapUnderAttack, liveHeapAfter,
                queuedAfter / 1024, live, opened.get(), refused.get(), failedToConnect.get(), closedByServer.get(),
                openAtEnd.get(), times.isEmpty() ? "-" : times.get(0), times.isEmpty() ? "-" : times.get(times.size() / 2),
                times.isEmpty() ? "-" : times.get(times.size() - 1), codes.isEmpty() ? "-" : codes, shed,
                closeFramesSeen.isEmpty() ? "-" : summarize(closeFramesSeen), bytesSent.get() / 1048576.0, echoes.get(),
                lastRefusal.isEmpty() ? "-" : lastRefusal, peaks[0] / 1024, peaks[1] / 1024,
                probe.sendLag.getValueAtPercentile(99), timeouts, peaks[2] / 1024, rssAtEnd);
        StringBuilder slowest = new StringBuilder();
        StringBuilder closed = new StringBuilder();
        StringBuilder sent = new StringBuilder();
        StringBuilder queued = new StringBuilder();
        for (int i = 0; i < Math.ceil(windowSeconds); i++) {
            String sep = i == 0 ? "" : ",";
            slowest.append(sep).append(Math.round(slowestPerSecond.get(i) / 1000.0));
            closed.append(sep).append(closesPerSecond.get(i));
            sent.append(sep).append(Math.round(bytesPerSecond.get(i) / 1048576.0));
            queued.append(sep).append(Math.round(queuedPerSecond.get(i) / 1048576.0));
        }
        System.out.println("TIMELINE probeSlowestMsPerSecond=" + slowest + " attackerClosesPerSecond=" + closed
                + " attackerMiBSentPerSecond=" + sent + " serverQueuedMiBPerSecond=" + queued);
        return 0;
    }

    private static String summarize(List<Integer> codes) {
        Map<Integer, Integer> n = new TreeMap<>();
        synchronized (codes) {
            codes.forEach(c -> n.merge(c, 1, Integer::sum));
        }
        StringBuilder s = new StringBuilder();
        n.forEach((c, k) -> s.append(s.isEmpty() ? "" : ",").append(c).append(':').append(k));
        return s.toString();
    }

    // ------------------------------------------------------------------ attackers

    /** What an attacker writes over and over. */
    private byte[] chunk() {
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        switch (kind) {
            case "ping" -> {
                byte[] payload = new byte[125];
                for (int i = 0; i < 500; i++) {
                    chunk.writeBytes(frame(0x80 | PING, payload));
                    if (i % 100 == 0) {
                        chunk.writeBytes(frame(0x80 | PONG, new byte[0])); // unsolicited: must not keep it alive
                    }
                }
            }
            case "empty" -> {
                for (int i = 0; i < 8192; i++) {
                    chunk.writeBytes(frame(0x80 | TEXT, new byte[0]));
                }
            }
            case "byte" -> {
                for (int i = 0; i < 8192; i++) {
                    chunk.writeBytes(frame(0x80 | BINARY, new byte[] {'x'}));
                }
            }
            case "big" -> chunk.writeBytes(frame(0x80 | BINARY, new byte[1 << 20]));
            case "bomb" -> {
                byte[] text = new byte[1 << 20];
                Arrays.fill(text, (byte) 'a');
                Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
                deflater.setInput(text);
                byte[] out = new byte[1 << 20];
                int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
                deflater.end();
                chunk.writeBytes(frame(0x80 | 0x40 | TEXT, Arrays.copyOf(out, n - 4))); // RSV1: compressed
            }
            default -> throw new IllegalArgumentException("kind must be none, ping, empty, byte, big or bomb, not " + kind);
        }
        return chunk.toByteArray();
    }

    /** One attacking socket: connects, floods until the server cuts it, connects again; until {@code end}. */
    private void attack(byte[] chunk, long end) {
        for (int attempt = 0; attempt < maxConnections && !stopping && System.nanoTime() < end; attempt++) {
            Socket socket = new Socket();
            open.add(socket);
            try {
                socket.setReceiveBufferSize(kind.equals("bomb") ? 1 << 20 : window);
                socket.connect(new InetSocketAddress(host, port), 5_000);
                OutputStream out = socket.getOutputStream();
                DataInputStream in = new DataInputStream(socket.getInputStream());
                int status = upgrade(out, in, path,
                        kind.equals("bomb") ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n" : "");
                if (status != 101) {
                    refused.incrementAndGet();
                    lastRefusal = String.valueOf(status);
                    socket.close();
                    Thread.sleep(250);
                    continue;
                }
                opened.incrementAndGet();
                long upgradedAt = System.nanoTime();
                if (kind.equals("bomb")) {
                    Thread reader = new Thread(() -> readAll(socket, in, out), "bomb-reader");
                    reader.setDaemon(true);
                    reader.start();
                }
                try {
                    while (!stopping) {
                        synchronized (out) {
                            out.write(chunk);
                        }
                        bytesSent.addAndGet(chunk.length);
                        bytesPerSecond.addAndGet(second(System.nanoTime()), chunk.length);
                    }
                    openAtEnd.incrementAndGet();
                } catch (IOException e) {
                    if (stopping) {
                        openAtEnd.incrementAndGet();
                    } else {
                        closedByServer.incrementAndGet();
                        closeMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - upgradedAt));
                        closesPerSecond.incrementAndGet(second(System.nanoTime()));
                    }
                }
            } catch (IOException e) {
                if (!stopping) {
                    failedToConnect.incrementAndGet();
                    lastRefusal = e.getClass().getSimpleName();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                try {
                    socket.close();
                } catch (IOException e) {
                    // gone
                }
                open.remove(socket);
            }
        }
    }

    /** The bomb's reader: discards echoes, answers pings, notes a close frame. */
    private void readAll(Socket socket, DataInputStream in, OutputStream out) {
        try {
            for (;;) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                long len = Frames.payloadLength(in, b1);
                int opcode = b0 & 0xF;
                if (opcode == PING || opcode == CLOSE) {
                    byte[] payload = in.readNBytes((int) len);
                    if (opcode == CLOSE) {
                        closeFramesSeen.add(payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
                        return;
                    }
                    synchronized (out) {
                        out.write(frame(0x80 | PONG, payload));
                    }
                } else {
                    in.skipNBytes(len);
                    if (opcode == TEXT || opcode == BINARY) {
                        echoes.incrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            // closed
        }
    }

    // ------------------------------------------------------------------ the healthy socket

    /** A healthy client: a small text every {@code every} ms, each echo timed from when its message was due. */
    private final class Probe {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        /** How late the probe's own sender was (the load generator's core, not the server): µs. */
        final Histogram sendLag = new Histogram(TimeUnit.SECONDS.toMicros(120), 3);
        final AtomicInteger sentInWindow = new AtomicInteger();
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile String closed = "no";
        private final AtomicLongArray due = new AtomicLongArray(1 << 20);
        private Socket socket;
        private OutputStream out;
        private DataInputStream in;
        private volatile boolean done;
        private Thread sender;
        private Thread reader;

        void start() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
            int status = upgrade(out, in, probePath, "");
            if (status != 101) {
                throw new IOException("the probe's upgrade to " + probePath + " got " + status);
            }
            sender = new Thread(this::send, "probe-sender");
            reader = new Thread(this::read, "probe-reader");
            sender.setDaemon(true);
            reader.setDaemon(true);
            reader.start();
            sender.start();
        }

        private void send() {
            long start = System.nanoTime();
            long period = TimeUnit.MILLISECONDS.toNanos(everyMillis);
            try {
                for (int i = 0; !done && i < due.length(); i++) {
                    long at = start + i * period;
                    long wait;
                    while ((wait = at - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    if (done) {
                        return;
                    }
                    due.set(i, at);
                    if (at >= windowStart && at < windowEnd) {
                        sentInWindow.incrementAndGet();
                    }
                    byte[] f = frame(0x80 | TEXT, ("p" + i).getBytes(StandardCharsets.US_ASCII));
                    synchronized (out) {
                        out.write(f);
                    }
                    if (at >= windowStart && at < windowEnd) {
                        synchronized (sendLag) {
                            sendLag.recordValue(Math.min(TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - at),
                                    sendLag.getHighestTrackableValue()));
                        }
                    }
                }
            } catch (IOException e) {
                if (!done) {
                    closed = "send failed: " + e.getMessage();
                }
            }
        }

        private void read() {
            try {
                for (;;) {
                    int b0 = in.readUnsignedByte();
                    int b1 = in.readUnsignedByte();
                    long len = Frames.payloadLength(in, b1);
                    byte[] payload = in.readNBytes((int) len);
                    long now = System.nanoTime();
                    switch (b0 & 0xF) {
                        case TEXT -> {
                            String text = new String(payload, StandardCharsets.UTF_8);
                            int i = Integer.parseInt(text.substring(text.lastIndexOf('p') + 1));
                            long at = due.get(i);
                            if (at >= windowStart && at < windowEnd) {
                                long us = Math.min(TimeUnit.NANOSECONDS.toMicros(now - at), histogram.getHighestTrackableValue());
                                histogram.recordValue(us);
                                slowestPerSecond.accumulateAndGet(second(at), us, Math::max);
                            }
                        }
                        case PING -> {
                            synchronized (out) {
                                out.write(frame(0x80 | PONG, payload));
                            }
                        }
                        case CLOSE -> {
                            closed = "closed with " + (payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005);
                            return;
                        }
                        default -> {
                        }
                    }
                }
            } catch (IOException e) {
                if (!done) {
                    closed = "read failed: " + e.getMessage();
                }
            }
        }

        void stop() throws IOException, InterruptedException {
            done = true;
            sender.join(2000);
            socket.close();
            reader.join(2000);
        }
    }

    // ------------------------------------------------------------------ wire

    private int upgrade(OutputStream out, DataInputStream in, String target, String extra) throws IOException {
        String request = "GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extra + "\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        if (status == 101 && !extra.isEmpty() && !head.toString().toLowerCase().contains("permessage-deflate")) {
            throw new IOException("permessage-deflate was not negotiated: " + head);
        }
        return status;
    }

    /** A masked frame. */
    private static byte[] frame(int b0, byte[] payload) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(b0);
        int len = payload.length;
        if (len < 126) {
            f.write(0x80 | len);
        } else if (len < 65536) {
            f.write(0x80 | 126);
            f.write(len >>> 8);
            f.write(len & 0xFF);
        } else {
            f.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >>> (8 * i)) & 0xFF);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        byte[] body = payload.clone();
        for (int i = 0; i < body.length; i++) {
            body[i] ^= mask[i & 3];
        }
        f.write(body, 0, body.length);
        return f.toByteArray();
    }

    // ------------------------------------------------------------------ the server's side

    private long rssKiB() {
        try {
            Matcher m = Pattern.compile("VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/" + serverPid + "/status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** utime + stime of the server, in clock ticks. */
    private long cpuTicks() throws IOException {
        if (serverPid <= 0) {
            return 0;
        }
        String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat(5)
    }

    /**
     * The server's live heap in KiB, -1 if it could not be read: the total of {@code jcmd GC.class_histogram}, which
     * collects in full and counts the live objects in the same pause. ({@code GC.run} then {@code GC.heap_info} would
     * be two attaches, and under an attack that allocates fast, the used heap of the second includes what was
     * allocated since the first: tens of MiB for the compression bomb.)
     */
    private long liveHeapKiB() {
        if (serverPid <= 0) {
            return -1;
        }
        try {
            String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
            Matcher m = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$")
                    .matcher(exec(jcmd, String.valueOf(serverPid), "GC.class_histogram"));
            return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static String exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out;
        try (InputStream s = p.getInputStream()) {
            out = new String(s.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private String get(String target) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + target))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private int second(long nanos) {
        return (int) Math.max(0, Math.min(3599, (nanos - windowStartNanos) / 1_000_000_000L));
    }

    /** The sum of a metric's series whose tags contain {@code tag}. */
    private static double sum(String metrics, String name, String tag) {
        double total = 0;
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(metrics);
        while (m.find()) {
            if (tag.isEmpty() || (m.group(1) != null && m.group(1).contains(tag))) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private String liveness() {
        long start = System.nanoTime();
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status + "/" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + "ms";
        } catch (Exception e) {
            return "none(" + e.getClass().getSimpleName() + ")";
        }
    }

    private double metric(String name) {
        try {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(get("/q/metrics"));
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * A counter of the attacked zone: edgesocket_heartbeat_timeouts_total counts the closes for a missing pong (1001)
     * and for a stalled send queue (1008), not those for a full send buffer (also 1008).
     */
    private double zoneCounter(String name) {
        try {
            return sum(get("/q/metrics"), name, "zone=\"" + zone + "\"");
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /** The attacked zone's closes by code, as the server counts them. */
    private Map<String, Double> closes() {
        Map<String, Double> out = new TreeMap<>();
        try {
            Matcher m = Pattern.compile("(?m)^edgesocket_closes_total\\{([^}]*)\\} ([0-9.eE+-]+)$").matcher(get("/q/metrics"));
            while (m.find()) {
                String tags = m.group(1);
                Matcher code = Pattern.compile("code=\"([^\"]*)\"").matcher(tags);
                if (tags.contains("zone=\"" + zone + "\"") && code.find()) {
                    out.put(code.group(1), Double.parseDouble(m.group(2)));
                }
            }
        } catch (Exception e) {
            // no metrics: no codes
        }
        return out;
    }
}
