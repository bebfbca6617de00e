package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Fragmented messages: joined whole and in linear time, bounded in count, UTF-8 checked across fragment edges. */
@QuarkusTest
class FragmentTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aMessageOfTooManyFragmentsCloses1009() throws Exception {
        // /lab keeps the default max-fragments of 16,384: a 4 MiB message in 1-byte fragments is refused early.
        try (RawClient client = RawClient.handshake(base, "/lab")) {
            client.sendFrame(false, 0, RawClient.BINARY, new byte[] {1}, true);
            byte[] batch = repeat(RawClient.frame(false, 0, RawClient.CONTINUATION, new byte[] {1}, true), 1000);
            try {
                for (int i = 0; i < 20; i++) {
                    client.sendRaw(batch);
                }
            } catch (IOException e) {
                // the server may stop reading once it has refused the message
            }
            Frame close = client.readUntilClose();
            assertEquals(1009, close.closeCode());
            assertEquals("Message has too many fragments", close.closeReason());
        }
    }

    @Test
    void aMegabyteInOneByteFragmentsIsJoinedWhole() throws Exception {
        // /frag allows 2,000,000 fragments: 1 MiB in 1,048,576 one-byte frames comes back whole.
        int size = 1 << 20;
        byte[] message = new byte[size];
        for (int i = 0; i < size; i++) {
            message[i] = (byte) (i * 31);
        }
        ByteArrayOutputStream frames = new ByteArrayOutputStream(size * 7);
        for (int i = 0; i < size; i++) {
            frames.writeBytes(RawClient.frame(i == size - 1, 0, i == 0 ? RawClient.BINARY : RawClient.CONTINUATION,
                    new byte[] {message[i]}, true));
        }
        try (RawClient client = RawClient.handshake(base, "/frag")) {
            client.sendRaw(frames.toByteArray());
            Frame echo = client.readFrame();
            assertEquals(RawClient.BINARY, echo.opcode());
            assertArrayEquals(message, echo.payload());
        }
    }

    @Test
    void aCharacterSplitAcrossFragmentsIsValidAndPingsMayComeBetweenFragments() throws Exception {
        byte[] e = "é".getBytes(StandardCharsets.UTF_8);
        try (RawClient client = RawClient.handshake(base, "/lab")) {
            client.sendFrame(false, 0, RawClient.TEXT, new byte[] {'a', e[0]}, true);
            client.sendFrame(true, 0, RawClient.PING, "between".getBytes(StandardCharsets.UTF_8), true);
            client.sendFrame(true, 0, RawClient.CONTINUATION, new byte[] {e[1], 'b'}, true);
            Frame pong = client.readFrame();
            assertEquals(RawClient.PONG, pong.opcode());
            assertEquals("between", pong.text());
            Frame echo = client.readFrame();
            assertEquals("Echo: aéb", echo.text());
        }
    }

    private static byte[] repeat(byte[] frame, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(frame.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }
}
