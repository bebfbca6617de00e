package dev.edgesocket.runtime;

import java.util.concurrent.atomic.AtomicLongFieldUpdater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * Everything one socket writes to its connection: the script's messages (compressed when
 * permessage-deflate was agreed), pings, pongs and the close frame, with {@code bufferedAmount},
 * the write-queue bound and batched flushes.
 * <p>
 * Back-pressure, as Vert.x gives it: {@link #writeQueueFull()} turns true once {@code bufferedAmount}
 * reaches half the zone's {@code max-buffered-amount}; when it falls to a quarter again the socket
 * raises {@code "drain"}. A script that keeps sending past the whole bound is closed with 1008.
 * <p>
 * Threading: messages may be sent from any thread; they reach the channel in order on its event
 * loop, where the close frame seals the queue (no data frame follows it, RFC 6455 5.5.1).
 */
final class Outbound {

    private static final AtomicLongFieldUpdater<Outbound> BUFFERED =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "bufferedAmount");
    private static final AtomicLongFieldUpdater<Outbound> MESSAGES =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "messages");
    private static final AtomicLongFieldUpdater<Outbound> BYTES =
            AtomicLongFieldUpdater.newUpdater(Outbound.class, "bytes");
    /** Messages shorter than this go uncompressed: deflate would not pay for its CPU. */
    static final int COMPRESSION_THRESHOLD = 64;
    private static final int RSV1 = 0x4;

    private final EdgeWebSocket socket;
    private final Channel channel;
    private final long maxBuffered;
    private final long highWater;
    private final long lowWater;
    private final PerMessageDeflate.Agreement deflate;
    private final Deflaters deflaters;

    private volatile long bufferedAmount;
    private volatile long messages;
    private volatile long bytes;
    /** Set when the queue passed the high-water mark; the write that brings it down to low water raises "drain". */
    private volatile boolean drainWanted;

    // Confined to the event loop.
    private boolean reading;
    private boolean flushPending;
    private boolean sealed;

    Outbound(EdgeWebSocket socket, Channel channel, long maxBuffered, PerMessageDeflate.Agreement deflate,
            Deflaters deflaters) {
        this.socket = socket;
        this.channel = channel;
        this.maxBuffered = maxBuffered;
        this.highWater = Math.max(1, maxBuffered / 2);
        this.lowWater = highWater / 2;
        this.deflate = deflate;
        this.deflaters = deflaters;
    }

    long bufferedAmount() {
        return bufferedAmount;
    }

    boolean writeQueueFull() {
        return bufferedAmount >= highWater;
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
        long queued = BUFFERED.addAndGet(this, size);
        if (queued > maxBuffered) {
            BUFFERED.addAndGet(this, -size);
            payload.release();
            socket.sendBufferOverflow("bufferedAmount passed the zone's max-buffered-amount of " + maxBuffered
                    + " bytes because the client does not read its messages.");
            return;
        }
        if (queued >= highWater) {
            drainWanted = true;
        }
        MESSAGES.incrementAndGet(this);
        BYTES.addAndGet(this, size);
        socket.metrics().messageOut(text, size);
        WebSocketFrame frame = frame(payload, text);
        if (channel.eventLoop().inEventLoop()) {
            writeOnEventLoop(frame, size, false);
        } else {
            // Netty would hop to the event loop anyway; hopping ourselves keeps data in order with the close frame.
            channel.eventLoop().execute(() -> writeOnEventLoop(frame, size, true));
        }
    }

    /** Compresses on the sending thread when agreed and worth it; RSV1 marks a compressed message. */
    private WebSocketFrame frame(ByteBuf payload, boolean text) {
        int size = payload.readableBytes();
        if (deflate != null && size >= COMPRESSION_THRESHOLD && deflate.fitsWindow(size)) {
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

    private void writeOnEventLoop(WebSocketFrame frame, int size, boolean fromWorker) {
        if (sealed) {
            frame.release();
            written(size);
            return;
        }
        ChannelFuture future;
        if (reading) {
            // Sent while the connection's read is in progress: flushed once when the read completes.
            future = channel.write(frame);
            flushPending = true;
        } else if (fromWorker) {
            // Sends from a worker arrive as a run of tasks; one flush task queued behind them sends the run.
            future = channel.write(frame);
            if (!flushPending) {
                flushPending = true;
                channel.eventLoop().execute(this::flushNow);
            }
        } else {
            future = channel.writeAndFlush(frame);
        }
        future.addListener(new Written(size));
    }

    private void written(int size) {
        long left = BUFFERED.addAndGet(this, -size);
        if (drainWanted && left <= lowWater) {
            drainWanted = false;
            socket.drained();
        }
    }

    /** Takes a written (or failed) frame off {@code bufferedAmount}. */
    private final class Written implements ChannelFutureListener {
        private final int size;

        Written(int size) {
            this.size = size;
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            written(size);
        }
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

    void ping() {
        if (!sealed) {
            channel.writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        }
    }

    /** Answers a ping with its payload (taking ownership of it); on the event loop. */
    void pong(ByteBuf payload) {
        if (sealed) {
            payload.release();
        } else if (reading) {
            channel.write(new PongWebSocketFrame(payload)); // a burst of pings is answered in one flush
            flushPending = true;
        } else {
            channel.writeAndFlush(new PongWebSocketFrame(payload));
        }
    }

    /** True once the close frame was written: nothing follows it. */
    boolean sealed() {
        return sealed;
    }

    /** Writes the close frame ({@code code < 0}: an empty one) after everything queued before it, and seals. */
    ChannelFuture close(int code, String reason) {
        sealed = true;
        CloseWebSocketFrame frame = code < 0 ? new CloseWebSocketFrame(true, 0, Unpooled.EMPTY_BUFFER)
                : new CloseWebSocketFrame(code, reason);
        return channel.writeAndFlush(frame);
    }
}
