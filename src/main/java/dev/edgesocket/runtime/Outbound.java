package dev.edgesocket.runtime;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import dev.edgesocket.metrics.ZoneMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Everything one socket writes to its connection: the script's messages (compressed when
 * permessage-deflate was agreed and the compression budget allows), pings, pongs and the close frame,
 * with {@code bufferedAmount}, the write-queue bound and batched flushes.
 * <p>
 * <b>What is counted.</b> The bound ({@code max-buffered-amount}) and the server's budget count what a
 * queued frame costs: the bytes it holds (compressed, when it was) plus {@link QueueBudget#MESSAGE_OVERHEAD},
 * control frames included, so a flood of empty messages fills the queue as surely as large ones.
 * {@code bufferedAmount} itself is what the script sent (uncompressed), as in a browser.
 * <p>
 * <b>Back-pressure.</b> As Vert.x gives it, {@link #writeQueueFull()} turns true once the queue reaches half
 * of {@code max-buffered-amount} (the high-water mark); when it falls to a quarter again the socket raises
 * {@code "drain"}. Above the high-water mark the socket also stops reading from the client, so a script that
 * answers each message can never fill its own queue against a client that reads. A script that keeps sending
 * past the whole bound is closed with 1008.
 * <p>
 * <b>Pongs</b> coalesce (RFC 6455 5.5.3): while {@link #MAX_PONGS_IN_FLIGHT} are on their way, a newer ping
 * replaces the answer owed, so a ping flood from a client that does not read holds a few pongs, not one per ping.
 * <p>
 * <b>Progress.</b> The time of the last byte written is kept, so the heartbeat can close a socket whose queue
 * has not moved for its {@code idleTimeout} (a client that does not read is not healthy, whatever it sends).
 * <p>
 * Threading: messages may be sent from any thread; they reach the channel in order on its event
 * loop, where the close frame seals the queue (no data frame follows it, RFC 6455 5.5.1). Whether it is
 * sealed is the owner's to say ({@link SocketState}): the close frame is written when the state machine says so.
 */
final class Outbound {

    /** What the queue tells its socket, and asks of it. */
    interface Owner {
        /** True once no frame may be written: the close frame went, or the connection is gone. On the event loop. */
        boolean sealed();

        /** A send passed max-buffered-amount ({@code message} says how): the socket fails with 1008. Any thread. */
        void overflowed(String message);

        /** The queue went down to its low-water mark after it passed the high-water mark. Any thread. */
        void drained();

        /** The queue passed its high-water mark: stop reading from the client. On the event loop. */
        void pauseReading();

        /** The queue went down to its low-water mark: reading may resume. On the event loop. */
        void resumeReading();
    }

    private static final AtomicLongFieldUpdater<Outbound> BUFFERED =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "bufferedAmount");
    private static final AtomicLongFieldUpdater<Outbound> COST =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "cost");
    private static final AtomicLongFieldUpdater<Outbound> MESSAGES =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "messages");
    private static final AtomicLongFieldUpdater<Outbound> BYTES =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "bytes");
    /** Messages shorter than this go uncompressed: deflate would not pay for its CPU. */
    static final int COMPRESSION_THRESHOLD = 64;
    private static final int RSV1 = 0x4;
    private static final int OVERHEAD = QueueBudget.MESSAGE_OVERHEAD;
    /**
     * Pongs that may be on their way at once: a burst of a few pings is answered ping for ping, as the conformance
     * suites like; beyond it the answer owed coalesces to the latest ping.
     */
    static final int MAX_PONGS_IN_FLIGHT = 16;

    private final Owner socket;
    private final ZoneMetrics metrics;
    private final Channel channel;
    private final long maxBuffered;
    private final long highWater;
    private final long lowWater;
    private final PerMessageDeflate.Agreement deflate;
    private final Deflaters deflaters;
    private final QueueBudget budget;
    private final CompressionBudget.Socket compression;

    /** What the script sent and is not yet written, uncompressed (the script's {@code bufferedAmount}). */
    private volatile long bufferedAmount;
    /** What the queued frames cost: their bytes as held plus the per-message overhead, control frames too. */
    private volatile long cost;
    private volatile long messages;
    private volatile long bytes;
    /** Set when the queue passed the high-water mark; the write that brings it down to low water raises "drain". */
    private volatile boolean drainWanted;

    // Confined to the event loop.
    private boolean reading;
    private boolean flushPending;
    private boolean readPaused;
    private int inFlight;
    private long lastProgressNanos;
    private int pongsInFlight;
    /** The payload of the latest ping not yet answered (kept in one array), and its length; -1: none owed. */
    private byte[] owedPong;
    private int owedPongLength = -1;
    private long pingNonce;
    private boolean pingOutstanding;
    // What Netty was writing at the last look, and how far it had got (stalledNanos).
    private Object writing;
    private int writingIndex;

    Outbound(Owner socket, ZoneMetrics metrics, Channel channel, long maxBuffered, PerMessageDeflate.Agreement deflate,
            Deflaters deflaters, QueueBudget budget, CompressionBudget.Socket compression) {
        this.socket = socket;
        this.metrics = metrics;
        this.channel = channel;
        this.maxBuffered = maxBuffered;
        this.highWater = Math.max(1, maxBuffered / 2);
        this.lowWater = highWater / 2;
        this.deflate = deflate;
        this.deflaters = deflaters;
        this.budget = budget;
        this.compression = compression;
    }

    long bufferedAmount() {
        return bufferedAmount;
    }

    /** What the queue costs the server now (bytes held plus overhead per frame). */
    long cost() {
        return cost;
    }

    boolean writeQueueFull() {
        return cost >= highWater;
    }

    long messages() {
        return messages;
    }

    long bytes() {
        return bytes;
    }

    void text(ByteBuf utf8) {
        write(utf8, true);
    }

    void binary(ByteBuf payload) {
        write(payload, false);
    }

    private void write(ByteBuf payload, boolean text) {
        int size = payload.readableBytes();
        WebSocketFrame frame = frame(payload, text);
        long frameCost = frame.content().readableBytes() + (long) OVERHEAD;
        long queued = COST.addAndGet(this, frameCost);
        if (queued > maxBuffered) {
            COST.addAndGet(this, -frameCost);
            frame.release();
            socket.overflowed("bufferedAmount passed the zone's max-buffered-amount of " + maxBuffered
                    + " bytes (each queued message counted with " + OVERHEAD + " bytes of overhead) because the client "
                    + "does not read its messages.");
            return;
        }
        budget.charge(frameCost);
        BUFFERED.addAndGet(this, size);
        if (queued >= highWater) {
            drainWanted = true;
        }
        MESSAGES.incrementAndGet(this);
        BYTES.addAndGet(this, size);
        metrics.messageOut(text, size);
        if (channel.eventLoop().inEventLoop()) {
            writeOnEventLoop(frame, size, frameCost, false);
        } else {
            // Netty would hop to the event loop anyway; hopping ourselves keeps data in order with the close frame.
            try {
                channel.eventLoop().execute(() -> writeOnEventLoop(frame, size, frameCost, true));
            } catch (RejectedExecutionException e) {
                frame.release(); // the event loop is shutting down: nothing will be written
                BUFFERED.addAndGet(this, -size);
                budget.credit(frameCost);
                COST.addAndGet(this, -frameCost);
            }
        }
    }

    /**
     * Compresses on the sending thread when agreed, worth it and within the compression budget; RSV1 marks a
     * compressed message. Past the budget a message goes uncompressed, which RFC 7692 allows per message.
     */
    private WebSocketFrame frame(ByteBuf payload, boolean text) {
        int size = payload.readableBytes();
        if (deflate != null && size >= COMPRESSION_THRESHOLD && deflate.fitsWindow(size) && compression.mayCompress(size)) {
            ByteBuf compressed;
            try {
                compressed = deflaters.compress(channel.alloc(), payload);
            } finally {
                payload.release();
            }
            return text ? new TextWebSocketFrame(true, RSV1, compressed) : new BinaryWebSocketFrame(true, RSV1, compressed);
        }
        return text ? new TextWebSocketFrame(payload) : new BinaryWebSocketFrame(payload);
    }

    private void writeOnEventLoop(WebSocketFrame frame, int size, long frameCost, boolean fromWorker) {
        if (socket.sealed()) {
            frame.release();
            written(size, frameCost);
            return;
        }
        Written listener = new Written(size, frameCost);
        started();
        if (reading) {
            // Sent while the connection's read is in progress: flushed once when the read completes.
            channel.write(frame, channel.newProgressivePromise()).addListener(listener);
            flushPending = true;
        } else if (fromWorker) {
            // Sends from a worker arrive as a run of tasks; one flush task queued behind them sends the run.
            channel.write(frame, channel.newProgressivePromise()).addListener(listener);
            if (!flushPending) {
                flushPending = true;
                channel.eventLoop().execute(this::flushNow);
            }
        } else {
            channel.writeAndFlush(frame, channel.newProgressivePromise()).addListener(listener);
        }
        pauseIfAboveHighWater();
    }

    /**
     * Stops reading from the client while the queue is above its high-water mark; on the event loop. Also asked by
     * the frame reader between frames: sends from workers are charged at once but reach the event loop only after the
     * read in progress, and the reader must not read on meanwhile.
     */
    void pauseIfAboveHighWater() {
        if (!readPaused && cost >= highWater) {
            readPaused = true;
            socket.pauseReading();
        }
    }

    /** A frame goes to the channel; on the event loop. */
    private void started() {
        if (inFlight++ == 0) {
            lastProgressNanos = System.nanoTime(); // the clock of a stalled queue starts with its first frame
        }
    }

    /** A data frame was written (or failed, or dropped); on the event loop. */
    private void written(int size, long frameCost) {
        BUFFERED.addAndGet(this, -size);
        uncharge(frameCost);
    }

    private void uncharge(long frameCost) {
        budget.credit(frameCost);
        long left = COST.addAndGet(this, -frameCost);
        if (drainWanted && left <= lowWater) {
            drainWanted = false;
            socket.drained();
        }
        if (readPaused && left <= lowWater) {
            readPaused = false;
            socket.resumeReading();
        }
    }

    private void charge(long frameCost) {
        COST.addAndGet(this, frameCost);
        budget.charge(frameCost);
    }

    /** Takes a written (or failed) frame off the queue, and notes progress for the stall clock. */
    private final class Written implements ChannelProgressiveFutureListener {
        private final int size;
        private final long frameCost;

        Written(int size, long frameCost) {
            this.size = size;
            this.frameCost = frameCost;
        }

        @Override
        public void operationProgressed(ChannelProgressiveFuture future, long progress, long total) {
            lastProgressNanos = System.nanoTime(); // part of a large frame went out: the client reads
        }

        @Override
        public void operationComplete(ChannelProgressiveFuture future) {
            finished(future);
            written(size, frameCost);
        }
    }

    /** A frame left Netty (written, or failed with the connection); on the event loop. */
    private void finished(io.netty.util.concurrent.Future<?> future) {
        inFlight--;
        if (future.isSuccess()) {
            lastProgressNanos = System.nanoTime();
        }
    }

    /**
     * How long frames have waited with no byte written, in nanoseconds; 0 when nothing waits. On the event loop.
     * <p>
     * Besides whole frames written, a partial write of a large one is progress: the encoder hands Netty a frame's
     * header and payload as two buffers under one plain promise, so no progress event reaches our listener; the
     * buffer Netty is writing, and how far it got, are looked at instead.
     */
    long stalledNanos(long now) {
        if (inFlight == 0) {
            writing = null;
            return 0;
        }
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        Object current = buffer == null ? null : buffer.current();
        int index = current instanceof ByteBuf b ? b.readerIndex() : -1;
        if (current != writing || index != writingIndex) {
            writing = current;
            writingIndex = index;
            if (current != null) {
                lastProgressNanos = now; // the network took some of it since the last look
            }
        }
        return Math.max(0, now - lastProgressNanos);
    }

    private void flushNow() {
        if (flushPending && !reading) {
            flushPending = false;
            channel.flush();
        }
    }

    /** The connection's read began; on the event loop. */
    void readStarted() {
        reading = true;
    }

    /** The connection's read completed: flush what listeners wrote meanwhile; on the event loop. */
    void readCompleted() {
        reading = false;
        if (flushPending) {
            flushPending = false;
            channel.flush();
        }
    }

    /**
     * Sends the heartbeat's ping with a fresh random payload: only a pong that carries it back proves the client
     * read everything queued before it (an unsolicited pong proves nothing). On the event loop.
     */
    void ping() {
        if (!socket.sealed()) {
            pingNonce = ThreadLocalRandom.current().nextLong();
            pingOutstanding = true;
            control(new PingWebSocketFrame(Unpooled.buffer(8, 8).writeLong(pingNonce)), true);
        }
    }

    /** Whether a pong's payload answers our last ping. On the event loop. */
    boolean answersPing(byte[] payload, int length) {
        if (!pingOutstanding || length != 8) {
            return false;
        }
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (payload[i] & 0xFF);
        }
        if (value != pingNonce) {
            return false;
        }
        pingOutstanding = false; // each ping is answered once: a replayed pong proves nothing
        return true;
    }

    /**
     * Answers a ping with its payload (copied: the caller reuses its array); on the event loop. Nothing is allocated
     * for a ping whose answer coalesces: a flood of them costs no garbage.
     */
    void pong(byte[] payload, int length) {
        if (socket.sealed()) {
            return;
        }
        if (pongsInFlight >= MAX_PONGS_IN_FLIGHT) {
            // Only the latest ping is answered (RFC 6455 5.5.3): a client that pings and does not read holds a few.
            if (owedPong == null) {
                owedPong = new byte[125];
            }
            System.arraycopy(payload == null ? owedPong : payload, 0, owedPong, 0, length);
            owedPongLength = length;
            return;
        }
        pongsInFlight++;
        ByteBuf content = length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(payload, 0, length);
        // A burst of pings within one read is answered in the read's flush.
        control(new PongWebSocketFrame(content), !reading).addListener(f -> {
            pongsInFlight--;
            if (owedPongLength >= 0) {
                int owed = owedPongLength;
                owedPongLength = -1;
                pong(owedPong, owed);
            }
        });
    }

    /** Writes a control frame, counted in the queue's cost like any other; on the event loop. */
    private ChannelFuture control(WebSocketFrame frame, boolean flush) {
        long frameCost = frame.content().readableBytes() + (long) OVERHEAD;
        charge(frameCost);
        started();
        ChannelProgressiveFuture future;
        if (flush) {
            future = (ChannelProgressiveFuture) channel.writeAndFlush(frame, channel.newProgressivePromise());
        } else {
            future = (ChannelProgressiveFuture) channel.write(frame, channel.newProgressivePromise());
            flushPending = true;
        }
        future.addListener(f -> {
            finished(f);
            uncharge(frameCost);
        });
        return future;
    }

    /**
     * Writes the close frame ({@code code < 0}: an empty one) after everything queued before it; the owner sealed
     * the queue first, so nothing follows it.
     */
    ChannelFuture close(int code, String reason) {
        releaseOwedPong();
        CloseWebSocketFrame frame = code < 0 ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, reason);
        return control(frame, true);
    }

    /** The connection is gone (the owner sealed the queue): nothing owed is kept; on the event loop. */
    void release() {
        releaseOwedPong();
    }

    private void releaseOwedPong() {
        owedPongLength = -1;
    }
}
