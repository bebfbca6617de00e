package dev.edgesocket.bench;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A hostile client for the fragment benchmark: over a raw TCP socket it sends binary messages of
 * {@code size} bytes in fragments of {@code fragment} bytes, one after another, for {@code seconds}.
 * Where the zone joins them it waits for each echo and reports the time per message; where the zone
 * refuses them (max-fragments) it reconnects after each close and reports the refusals.
 */
final class FragmentMode {

    private final URI url;
    private final int size;
    private final int fragment;
    private final int seconds;

    FragmentMode(LoadGen.Options o) {
        url = URI.create(o.text("url", "ws://127.0.0.1:8080/frag"));
        size = o.integer("size", 4 << 20);
        fragment = o.integer("fragment", 1);
        seconds = o.integer("seconds", 20);
    }

    int run() throws Exception {
        byte[] frames = frames();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int joined = 0;
        int refused = 0;
        long joinedNanos = 0;
        while (System.nanoTime() < end) {
            try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                socket.setSoTimeout(60_000);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                DataInputStream in = new DataInputStream(socket.getInputStream());
                handshake(out, in);
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        out.write(frames);
                        out.flush();
                    } catch (IOException e) {
                        // the server refused the message and stopped reading
                    }
                    int opcode = readFrame(in);
                    if (opcode == 0x8) {
                        refused++;
                        break;
                    }
                    joined++;
                    joinedNanos += System.nanoTime() - start;
                }
            }
        }
        System.out.printf("RESULT mode=fragments size=%d fragment=%d joined=%d msPerJoined=%.1f refused=%d%n", size,
                fragment, joined, joined == 0 ? 0.0 : joinedNanos / 1e6 / joined, refused);
        return 0;
    }

    /** One message as masked frames of {@code fragment} bytes. */
    private byte[] frames() {
        int count = (size + fragment - 1) / fragment;
        byte[] out = new byte[count * (2 + 4) + size + count * 8];
        int at = 0;
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        for (int i = 0; i < count; i++) {
            int len = Math.min(fragment, size - i * fragment);
            boolean fin = i == count - 1;
            out[at++] = (byte) ((fin ? 0x80 : 0) | (i == 0 ? 0x2 : 0x0));
            if (len < 126) {
                out[at++] = (byte) (0x80 | len);
            } else {
                out[at++] = (byte) (0x80 | 126);
                out[at++] = (byte) (len >>> 8);
                out[at++] = (byte) len;
            }
            System.arraycopy(mask, 0, out, at, 4);
            at += 4;
            for (int k = 0; k < len; k++) {
                out[at++] = (byte) ('a' ^ mask[k & 3]);
            }
        }
        return java.util.Arrays.copyOf(out, at);
    }

    private void handshake(OutputStream out, DataInputStream in) throws IOException {
        String request = "GET " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head);
        }
    }

    /** Reads one frame (skipping pings) and returns its opcode. */
    private static int readFrame(DataInputStream in) throws IOException {
        for (;;) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long len = Frames.payloadLength(in, b1);
            in.skipNBytes(len);
            int opcode = b0 & 0xF;
            if (opcode != 0x9 && opcode != 0xA) {
                return opcode;
            }
        }
    }
}
