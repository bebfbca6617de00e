package dev.edgesocket.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Reads RFC 6455 frames from a client's bytes as they arrive, replacing the WebSocket decoder the
 * handshake installed. It checks each header at once (masking, opcodes, RSV bits, control frame
 * rules, the message size and fragment limits), unmasks payload bytes in place and hands them to the
 * {@link MessageAssembler} without waiting for the frame to complete, so a text message fails at its
 * first invalid byte and a large frame is never buffered twice. Control frames go to the socket:
 * pings are answered, pongs feed the heartbeat, the close frame starts the closing handshake. After a
 * close frame or a violation, whatever else the client sends is dropped. Nothing is passed on to
 * Undertow's frame handler. Runs on the connection's event loop only.
 */
final class FrameReader extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(FrameReader.class);

    static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;

    private final InboundFrames socket;
    private final MessageAssembler messages;
    private final boolean compression;

    // The header being read: 2 bytes, then 0, 2 or 8 bytes of length, then the 4-byte mask.
    private final byte[] header = new byte[14];
    private int headerRead;
    // The frame whose payload is being read.
    private boolean inPayload;
    private boolean fin;
    private int opcode;
    private long remaining;
    private int mask;
    private int maskOffset;
    /** A control frame's payload; allocated at the first one that has any (most sockets never get one). */
    private byte[] control;
    private int controlLength;
    /** No more frames are read: after the client's close frame, or once the connection was failed. */
    private boolean done;
    /**
     * Bytes read but not yet parsed because reading paused (listeners behind, the client not reading, the inflate
     * budget spent): parsing stops at the next frame, and this waits for {@link #resume()}. At most what the
     * connection read before auto-read went off.
     */
    private ByteBuf kept;

    FrameReader(InboundFrames socket, MessageAssembler messages, boolean compression) {
        this.socket = socket;
        this.messages = messages;
        this.compression = compression;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        socket.readStarted();
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (done) {
            in.release();
        } else if (kept != null) {
            kept = Unpooled.wrappedBuffer(kept, in); // still paused: behind what waits, in order
        } else {
            parse(in);
        }
    }

    /** Parses what it can of {@code in}, and keeps the rest when reading paused; takes ownership of it. */
    private void parse(ByteBuf in) {
        boolean keep = false;
        try {
            read(in);
            keep = !done && in.isReadable();
        } finally {
            if (keep) {
                kept = in;
            } else {
                in.release();
            }
        }
    }

    /**
     * Reading may go on: parses what was kept. True when nothing is left kept (the connection may read again),
     * false when reading paused once more. On the event loop.
     */
    boolean resume() {
        ByteBuf k = kept;
        if (k == null) {
            return true;
        }
        kept = null;
        socket.readStarted();
        try {
            parse(k);
        } finally {
            socket.readCompleted();
        }
        return kept == null;
    }

    /** Reads nothing more: the connection is being dropped. On the event loop. */
    void stop() {
        done = true;
        releaseKept();
    }

    private void releaseKept() {
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }

    private void read(ByteBuf in) {
        while (in.isReadable() && !done) {
            if (!inPayload && headerRead == 0 && socket.readingPaused()) {
                return; // paused: the rest is kept until resume()
            }
            if (!inPayload) {
                if (!readHeader(in) || !startFrame()) {
                    return;
                }
                if (remaining == 0 && !endFrame()) {
                    return;
                }
                continue;
            }
            int n = (int) Math.min(remaining, in.readableBytes());
            int index = in.readerIndex();
            unmask(in, index, n);
            in.skipBytes(n);
            remaining -= n;
            if (opcode >= CLOSE) {
                in.getBytes(index, control, controlLength, n);
                controlLength += n;
            } else if (!messages.append(in, index, n)) {
                done = true;
                return;
            }
            if (remaining == 0 && !endFrame()) {
                return;
            }
        }
    }

    /** Collects header bytes; true once the whole header is there. */
    private boolean readHeader(ByteBuf in) {
        while (in.isReadable()) {
            header[headerRead++] = in.readByte();
            if (headerRead >= 2 && headerRead == headerLength()) {
                return true;
            }
        }
        return false;
    }

    private int headerLength() {
        int length7 = header[1] & 0x7F;
        int extended = length7 == 126 ? 2 : length7 == 127 ? 8 : 0;
        return 2 + extended + ((header[1] & 0x80) != 0 ? 4 : 0);
    }

    /** Checks the header just read; false when the connection was failed. */
    private boolean startFrame() {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        fin = (b0 & 0x80) != 0;
        int rsv = (b0 >> 4) & 0x7;
        opcode = b0 & 0x0F;
        int length7 = b1 & 0x7F;
        int at = 2;
        long length;
        if (length7 == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (length7 == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            at = 10;
            if (length < 0) {
                return violation("Invalid frame length", "A frame's 64-bit length has its most significant bit set.");
            }
        } else {
            length = length7;
        }
        headerRead = 0;
        if ((b1 & 0x80) == 0) {
            return violation("Frames from a client must be masked", "An unmasked frame arrived from the client.");
        }
        mask = ((header[at] & 0xFF) << 24) | ((header[at + 1] & 0xFF) << 16) | ((header[at + 2] & 0xFF) << 8)
                | (header[at + 3] & 0xFF);
        maskOffset = 0;
        if ((rsv & 0x3) != 0) {
            return violation("Reserved bits set", "A frame has RSV2 or RSV3 set, and no extension defines them.");
        }
        boolean rsv1 = (rsv & 0x4) != 0;
        if (opcode >= CLOSE) {
            if (opcode > PONG) {
                return violation("Reserved opcode " + opcode, "A frame has the reserved opcode " + opcode + ".");
            }
            if (!fin) {
                return violation("Fragmented control frame", "A control frame was fragmented.");
            }
            if (length > MAX_CONTROL_PAYLOAD) {
                return violation("Control frame too long", "A control frame has " + length + " bytes of payload (125 at most).");
            }
            if (rsv1) {
                return violation("Reserved bits set", "A control frame has RSV1 set.");
            }
            controlLength = 0;
            if (control == null && length > 0) {
                control = new byte[MAX_CONTROL_PAYLOAD];
            }
        } else {
            if (opcode > BINARY) {
                return violation("Reserved opcode " + opcode, "A frame has the reserved opcode " + opcode + ".");
            }
            if (rsv1 && (!compression || opcode == CONTINUATION)) {
                return violation("Reserved bits set", compression ? "A continuation frame has RSV1 set."
                        : "A frame has RSV1 set, and permessage-deflate was not negotiated.");
            }
            boolean first = opcode != CONTINUATION;
            if (first && messages.inProgress()) {
                return violation("Expected a continuation frame", "A new message began before the fragmented one ended.");
            }
            if (!first && !messages.inProgress()) {
                return violation("Unexpected continuation frame", "A continuation frame arrived with no message to continue.");
            }
            if (!messages.startFrame(first, opcode == TEXT, rsv1, length)) {
                done = true;
                return false;
            }
        }
        remaining = length;
        inPayload = true;
        return true;
    }

    /** The current frame's payload is complete; false when no more frames are to be read. */
    private boolean endFrame() {
        inPayload = false;
        switch (opcode) {
            case CLOSE -> {
                done = true;
                onClose();
                return false;
            }
            case PING -> socket.onPing(control, controlLength); // copied only if it is answered
            case PONG -> socket.onPong(control, controlLength);
            default -> {
                if (!messages.endFrame(fin)) {
                    done = true;
                    return false;
                }
            }
        }
        return true;
    }

    private void onClose() {
        if (controlLength == 0) {
            socket.onCloseFrame(-1, "");
            return;
        }
        if (controlLength == 1) {
            violation("Invalid close frame", "A close frame has a 1-byte payload.");
            return;
        }
        int code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
        if (!CloseCodes.isSendable(code)) {
            violation("Invalid close code " + code, "The client's close frame has the code " + code
                    + ", which an endpoint may not send.");
            return;
        }
        ByteBuf reason = Unpooled.wrappedBuffer(control, 2, controlLength - 2);
        Utf8Validator utf8 = new Utf8Validator();
        if (!utf8.update(reason, reason.readerIndex(), reason.readableBytes()) || !utf8.complete()) {
            socket.violation(CloseCodes.INVALID_PAYLOAD, "Invalid UTF-8", "The client's close reason is not valid UTF-8.");
            return;
        }
        socket.onCloseFrame(code, new String(control, 2, controlLength - 2, StandardCharsets.UTF_8));
    }

    private boolean violation(String reason, String message) {
        done = true;
        messages.release();
        socket.violation(CloseCodes.PROTOCOL_ERROR, reason, message);
        return false;
    }

    /** XORs {@code length} bytes from {@code index} with the frame's mask, in place, eight at a time. */
    private void unmask(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return;
        }
        int rotated = Integer.rotateLeft(mask, 8 * maskOffset);
        long mask64 = ((rotated & 0xFFFFFFFFL) << 32) | (rotated & 0xFFFFFFFFL);
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ mask64);
        }
        for (int k = 0; i < end; i++, k++) {
            buf.setByte(i, buf.getByte(i) ^ (rotated >>> (24 - 8 * (k & 3))));
        }
        maskOffset = (maskOffset + length) & 3;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        socket.newTurn();
        socket.readCompleted();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        messages.release();
        releaseKept();
        if (cause instanceof IOException) {
            // Reset by peer and the like: the connection is gone; channelInactive raises the close event.
            LOG.debugf("Socket %s: %s", socket.id(), cause.getMessage());
            ctx.close();
        } else {
            LOG.warnf(cause, "Socket %s failed", socket.id());
            done = true;
            socket.failNow(CloseCodes.INTERNAL_ERROR, "Internal error", "The server failed: " + cause, cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        messages.release();
        releaseKept();
        socket.onDisconnected();
        ctx.fireChannelInactive();
    }
}
