package dev.edgesocket.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain TCP socket, for what a well-behaved client cannot do: send any
 * handshake headers, write malformed frames, never answer a ping, and read every frame the server
 * writes (pings included).
 */
public final class RawClient implements AutoCloseable {

    public static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;

    /** An HTTP response head and body. */
    public record HttpAnswer(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** A frame from the server. */
    public record Frame(boolean fin, int rsv, int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.socket.setSoTimeout(15_000);
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawClient open(URI base) throws IOException {
        return new RawClient(new Socket(base.getHost(), base.getPort()));
    }

    /**
     * Opens a connection whose receive buffer is set before it connects (so the TCP window is small from the start):
     * a client that will not read, and whose unread bytes pile up at the server, not in its own kernel.
     */
    public static RawClient openSmallWindow(URI base, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        return new RawClient(socket);
    }

    /** A valid handshake with extra headers on a connection already open; fails unless the server answers 101. */
    public HttpAnswer upgrade(URI base, String path, Map<String, String> extraHeaders) throws IOException {
        Map<String, String> headers = validHandshakeHeaders(base);
        headers.putAll(extraHeaders);
        HttpAnswer answer = request("GET", path, headers);
        if (answer.status() != 101) {
            throw new IOException("expected 101, got " + answer);
        }
        return answer;
    }

    /** Opens a connection and completes a valid handshake; fails unless the server answers 101. */
    public static RawClient handshake(URI base, String path) throws IOException {
        RawClient client = open(base);
        HttpAnswer answer = client.request("GET", path, validHandshakeHeaders(base));
        if (answer.status() != 101) {
            throw new IOException("expected 101, got " + answer);
        }
        return client;
    }

    public static Map<String, String> validHandshakeHeaders(URI base) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", base.getHost() + ":" + base.getPort());
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        headers.put("Sec-WebSocket-Version", "13");
        return headers;
    }

    /** Sends a request with exactly these headers and reads the response head (and a body when one is announced). */
    public HttpAnswer request(String method, String path, Map<String, String> headers) throws IOException {
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        String statusLine = readLine();
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> responseHeaders = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            responseHeaders.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        String body = "";
        String length = responseHeaders.get("content-length");
        if (status != 101 && length != null) {
            byte[] bytes = new byte[Integer.parseInt(length)];
            in.readFully(bytes);
            body = new String(bytes, StandardCharsets.UTF_8);
        }
        return new HttpAnswer(status, responseHeaders, body);
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new EOFException("connection closed");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes bytes as they are. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes one frame; {@code masked=false} breaks RFC 6455 on purpose. */
    public void sendFrame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) throws IOException {
        out.write(frame(fin, rsv, opcode, payload, masked));
        out.flush();
    }

    /** The bytes of one frame, to send several in one write. */
    public static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(maskBit | payload.length);
        } else if (payload.length < 65536) {
            frame.write(maskBit | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            frame.write(maskBit | 127);
            long len = payload.length;
            for (int i = 7; i >= 0; i--) {
                frame.write((int) (len >>> (8 * i)) & 0xFF);
            }
        }
        byte[] body = payload.clone();
        if (masked) {
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.write(mask, 0, 4);
            for (int i = 0; i < body.length; i++) {
                body[i] ^= mask[i % 4];
            }
        }
        frame.write(body, 0, body.length);
        return frame.toByteArray();
    }

    /** The bytes of a masked close frame with a code and reason. */
    public static byte[] closeFrame(int code, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + r.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(r, 0, payload, 2, r.length);
        return frame(true, 0, CLOSE, payload, true);
    }

    public void sendText(String text) throws IOException {
        sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8), true);
    }

    public void sendClose(int code, String reason) throws IOException {
        sendRaw(closeFrame(code, reason));
    }

    /** Reads the next frame from the server. */
    public Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0xF, payload);
    }

    /** Reads frames until a close frame arrives. */
    public Frame readUntilClose() throws IOException {
        for (;;) {
            Frame frame = readFrame();
            if (frame.opcode() == CLOSE) {
                return frame;
            }
        }
    }

    /** True when the server has closed the TCP connection (end of stream within the timeout). */
    public boolean awaitEndOfStream(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            InputStream raw = in;
            while (raw.read() != -1) {
                // drain
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(old);
            }
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
