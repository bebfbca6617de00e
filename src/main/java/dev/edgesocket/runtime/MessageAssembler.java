package dev.edgesocket.runtime;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds whole messages from the unmasked payload bytes of data frames, as they arrive: in one
 * growing buffer (linear time however many fragments), within the zone's {@code max-message-size}
 * and {@code max-fragments} (1009 past either), inflating permessage-deflate messages on the way
 * (the inflated size is what the limit bounds), and checking text as UTF-8 byte by byte, so invalid
 * text fails at its first bad byte (1007). Confined to the connection's event loop.
 */
final class MessageAssembler {

    static final String TOO_LARGE = "Message is too large";
    static final String TOO_MANY_FRAGMENTS = "Message has too many fragments";
    /** The first allocation for a message; the buffer grows as bytes really arrive, not as headers announce. */
    private static final int FIRST_CHUNK = 64 * 1024;
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};

    private final InboundFrames socket;
    private final ByteBufAllocator alloc;
    private final long maxMessageSize;
    private final int maxFragments;
    /** Null when permessage-deflate was not agreed. */
    private final PerMessageDeflate.Agreement deflate;
    private final Utf8Validator utf8 = new Utf8Validator();

    private boolean inProgress;
    private boolean text;
    private boolean compressed;
    private int fragments;
    private long compressedBytes;
    private ByteBuf buffer;
    private Inflater inflater;
    /** What this assembler holds as the server's budget counts it: the buffer's capacity and the inflater's window. */
    private volatile long held;

    /** What an inflater holds natively: zlib's 32 KiB window and its state. */
    static final int INFLATER_COST = 48 * 1024;

    MessageAssembler(InboundFrames socket, ByteBufAllocator alloc, long maxMessageSize, int maxFragments,
            PerMessageDeflate.Agreement deflate) {
        this.socket = socket;
        this.alloc = alloc;
        this.maxMessageSize = maxMessageSize;
        this.maxFragments = maxFragments;
        this.deflate = deflate;
    }

    boolean inProgress() {
        return inProgress;
    }

    /** Bytes held now (read from any thread, for the server's budget). */
    long held() {
        return held;
    }

    /** Brings the budget's count in line with what is held now; on the event loop. */
    private void account() {
        long now = (buffer == null ? 0 : buffer.capacity()) + (inflater == null ? 0 : INFLATER_COST);
        long delta = now - held;
        if (delta != 0) {
            held = now;
            socket.assembling(delta);
        }
    }

    /**
     * A data frame's header was read. {@code first} starts a message (text or binary opcode), otherwise
     * it is a continuation. False when the socket was failed (too large, too many fragments).
     */
    boolean startFrame(boolean first, boolean isText, boolean rsv1, long length) {
        if (first) {
            inProgress = true;
            text = isText;
            compressed = rsv1;
            fragments = 0;
            compressedBytes = 0;
            utf8.reset();
        }
        if (++fragments > maxFragments) {
            return tooLarge(TOO_MANY_FRAGMENTS, "A message passed the zone's max-fragments of " + maxFragments + ".");
        }
        if (compressed) {
            // Deflate can grow incompressible data a little; anything beyond that cannot inflate within the limit.
            compressedBytes += length;
            if (compressedBytes > maxMessageSize + maxMessageSize / 64 + 1024) {
                return tooLarge(TOO_LARGE, "A compressed message passed the zone's max-message-size of "
                        + maxMessageSize + " bytes.");
            }
        } else {
            long size = (buffer == null ? 0 : buffer.readableBytes()) + length;
            if (size > maxMessageSize) {
                return tooLarge(TOO_LARGE, "A message passed the zone's max-message-size of " + maxMessageSize + " bytes.");
            }
        }
        if (buffer == null) {
            int initial = (int) Math.min(compressed ? Math.max(length * 2, 256) : length, FIRST_CHUNK);
            int capacity = (int) Math.min(Integer.MAX_VALUE, maxMessageSize);
            buffer = alloc.buffer(Math.min(Math.max(initial, 16), capacity), capacity);
            account();
        }
        return true;
    }

    /** Unmasked payload bytes of the current frame; false when the socket was failed. */
    boolean append(ByteBuf src, int index, int length) {
        if (compressed) {
            return inflate(src.nioBuffer(index, length));
        }
        int from = buffer.writerIndex();
        int capacity = buffer.capacity();
        buffer.writeBytes(src, index, length);
        if (buffer.capacity() != capacity) {
            account();
        }
        return !text || checkUtf8(from, length);
    }

    /** The current data frame ended; a final one completes the message and hands it to the socket. */
    boolean endFrame(boolean fin) {
        if (!fin) {
            return true;
        }
        if (compressed && !inflate(ByteBuffer.wrap(DEFLATE_TAIL))) {
            return false;
        }
        if (text && !utf8.complete()) {
            return invalid("Invalid UTF-8", "A text message ended inside a UTF-8 sequence.");
        }
        ByteBuf message = buffer;
        buffer = null;
        inProgress = false;
        if (compressed) {
            if (deflate.clientNoContextTakeover()) {
                endInflater(); // each message stands alone: no socket keeps an inflater between messages
            } else if (inflater.finished()) {
                // The client ended its stream with a final block (RFC 7692 7.2.3.3): the next message starts a new
                // stream, whose window is what came out last. Messages shorter than the window carry only part of
                // it, so a later reference further back fails as invalid data (1007), never as a wrong message.
                inflater.reset();
                int window = Math.min(message.readableBytes(), 32 * 1024);
                if (window > 0) {
                    byte[] dictionary = new byte[window];
                    message.getBytes(message.writerIndex() - window, dictionary);
                    inflater.setDictionary(dictionary);
                }
            }
        }
        account(); // handed off: the socket's queue counts it from here (worker dispatch)
        try {
            socket.onMessage(text, message);
        } finally {
            message.release();
        }
        return true;
    }

    private boolean inflate(ByteBuffer input) {
        if (inflater == null) {
            inflater = new Inflater(true);
            account();
        }
        inflater.setInput(input);
        int before = buffer.writerIndex();
        try {
            return inflateInput();
        } finally {
            // What inflating cost, against the compression budget (reading pauses past it); and what is held now.
            account();
            if (buffer != null && buffer.writerIndex() > before) {
                socket.inflated(buffer.writerIndex() - before);
            }
        }
    }

    private boolean inflateInput() {
        try {
            while (true) {
                if (buffer.writerIndex() >= maxMessageSize) {
                    // Full: one more byte out of the inflater means the message is too large.
                    if (inflater.inflate(new byte[1]) > 0) {
                        return tooLarge(TOO_LARGE, "A compressed message inflated past the zone's max-message-size of "
                                + maxMessageSize + " bytes.");
                    }
                    return true;
                }
                int room = (int) Math.min(FIRST_CHUNK, maxMessageSize - buffer.writerIndex());
                buffer.ensureWritable(room);
                int from = buffer.writerIndex();
                ByteBuffer out = buffer.nioBuffer(from, buffer.writableBytes());
                int n = inflater.inflate(out);
                buffer.writerIndex(from + n);
                if (text && n > 0 && !checkUtf8(from, n)) {
                    return false;
                }
                if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                    return true;
                }
            }
        } catch (DataFormatException e) {
            return invalid("Invalid compressed data", "A compressed message is not valid deflate data: " + e.getMessage());
        }
    }

    private boolean checkUtf8(int from, int length) {
        return utf8.update(buffer, from, length) || invalid("Invalid UTF-8", "A text message is not valid UTF-8.");
    }

    private boolean invalid(String reason, String message) {
        release();
        socket.violation(CloseCodes.INVALID_PAYLOAD, reason, message);
        return false;
    }

    private boolean tooLarge(String reason, String message) {
        release();
        socket.violation(CloseCodes.MESSAGE_TOO_BIG, reason, message);
        return false;
    }

    private void endInflater() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Drops the message in progress and the inflater; after a failure or when the connection ends. */
    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
        inProgress = false;
        endInflater();
        account();
    }
}
