package dev.edgesocket.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/2 on a socket, frame by frame, for what a client library would not do: open a connection and send
 * nothing but PINGs. Speaks just enough of RFC 9113 to open streams for GETs and see them end: header blocks
 * use HPACK literals with names from the static table, and response headers are not decoded.
 */
final class H2Client implements AutoCloseable {

    static final int DATA = 0x0, HEADERS = 0x1, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7;
    static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    record Frame(int type, int flags, int stream, byte[] payload) {
    }

    /** Put in the queue once the server has closed the connection. */
    private static final Frame CLOSED = new Frame(-1, 0, 0, new byte[0]);

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private volatile long closedAtNanos;

    /** Sends the preface and an empty SETTINGS frame, and starts reading the server's frames. */
    H2Client(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "h2-reader");
        reader.setDaemon(true);
        reader.start();
        ByteArrayOutputStream start = new ByteArrayOutputStream();
        start.writeBytes(PREFACE);
        start.writeBytes(frame(SETTINGS, 0, 0, new byte[0]));
        send(start.toByteArray());
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                int stream = in.readInt() & 0x7FFFFFFF;
                byte[] payload = new byte[length];
                in.readFully(payload);
                frames.add(new Frame(type, flags, stream, payload));
            }
        } catch (IOException e) {
            // EOF, a reset, or our own close: the connection is over either way
        } finally {
            closedAtNanos = System.nanoTime();
            frames.add(CLOSED);
        }
    }

    /** The next frame from the server, or null if none came within the time; fails if the connection closed. */
    Frame next(long timeoutMillis) throws InterruptedException {
        Frame frame = frames.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (frame == CLOSED) {
            throw new AssertionError("the server closed the HTTP/2 connection");
        }
        return frame;
    }

    /** Acknowledges the server's SETTINGS, as a client must, when one is among the frames read. */
    private void answer(Frame frame) throws IOException {
        if (frame.type() == SETTINGS && (frame.flags() & ACK) == 0) {
            send(frame(SETTINGS, ACK, 0, new byte[0]));
        }
    }

    void ping() throws IOException {
        send(frame(PING, 0, 0, new byte[8]));
    }

    /** Opens a stream with a GET for {@code path}, which it ends at once (no body). */
    void get(int stream, String path) throws IOException {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, 2, "GET"); // :method
        literal(block, 6, "http"); // :scheme
        literal(block, 4, path); // :path
        literal(block, 1, "localhost"); // :authority
        send(frame(HEADERS, END_STREAM | END_HEADERS, stream, block.toByteArray()));
    }

    /** Reads frames until the server ends {@code stream}; fails if it does not within the time. */
    void awaitEndOfStream(int stream, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            Frame frame = next(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (frame == null) {
                break;
            }
            answer(frame);
            if (frame.stream() == stream && (frame.type() == HEADERS || frame.type() == DATA)
                    && (frame.flags() & END_STREAM) != 0) {
                return;
            }
        }
        throw new AssertionError("stream " + stream + " did not end within " + timeoutMillis + " ms");
    }

    /** Waits for the server's first frame, which RFC 9113 says is its SETTINGS: the server speaks HTTP/2. */
    void awaitServerSettings(long timeoutMillis) throws Exception {
        Frame frame = next(timeoutMillis);
        if (frame == null || frame.type() != SETTINGS) {
            throw new AssertionError("the server's first frame is not SETTINGS: " + frame);
        }
        answer(frame);
    }

    /**
     * Sends a PING every {@code everyMillis} until the server closes the connection, and returns when it
     * closed (System.nanoTime()); fails if it is still open after {@code limitMillis}.
     */
    long pingUntilClosed(long everyMillis, long limitMillis) throws Exception {
        long limit = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
        while (System.nanoTime() < limit) {
            Frame frame = frames.poll(everyMillis, TimeUnit.MILLISECONDS);
            if (frame == CLOSED) {
                return closedAtNanos;
            }
            if (frame != null) {
                answer(frame);
                continue;
            }
            try {
                ping();
            } catch (IOException e) {
                // the server is closing; the reader sees the end
            }
        }
        throw new AssertionError("the HTTP/2 connection was still open " + limitMillis + " ms later, PINGs and all");
    }

    private static void literal(ByteArrayOutputStream block, int staticNameIndex, String value) {
        // Literal Header Field without Indexing, indexed name (RFC 7541 §6.2.2), value not Huffman-coded.
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        block.write(staticNameIndex);
        block.write(bytes.length);
        block.writeBytes(bytes);
    }

    static byte[] frame(int type, int flags, int stream, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(payload.length >>> 16);
        frame.write(payload.length >>> 8);
        frame.write(payload.length);
        frame.write(type);
        frame.write(flags);
        frame.write(stream >>> 24);
        frame.write(stream >>> 16);
        frame.write(stream >>> 8);
        frame.write(stream);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    private synchronized void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
