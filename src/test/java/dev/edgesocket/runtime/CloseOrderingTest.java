package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.RawClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a listener sends in answer to the last messages leaves before the server's close frame, in both
 * dispatch modes: when the client closes right behind its message, and when a protocol violation follows
 * a valid message (the Autobahn cases 3.2-3.4, 4.1.3-4.1.5, 4.2.3-4.2.5 and 5.15). The message and what
 * ends the connection arrive in one TCP write, so they are read in one go, as in the field.
 */
@QuarkusTest
class CloseOrderingTest {

    private static final int ITERATIONS = 200;

    @TestHTTPResource("/")
    URI base;

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return RawClient.frame(true, 0, RawClient.TEXT, s.getBytes(StandardCharsets.UTF_8), true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lab", "/lab-loop"})
    void theReplyToTheLastMessageLeavesBeforeTheCloseReply(String path) throws Exception {
        expectEchoBeforeClose(path, concat(text("last words"), RawClient.closeFrame(1000, "done")), "Echo: last words",
                1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lab", "/lab-loop"})
    void aValidMessageIsAnsweredBeforeTheViolationThatFollowsIt(String path) throws Exception {
        // A valid message, then a frame with the reserved opcode 3 (Autobahn 4.1.3).
        expectEchoBeforeClose(path, concat(text("valid"), RawClient.frame(true, 0, 0x3, new byte[0], true)),
                "Echo: valid", 1002);
    }

    private void expectEchoBeforeClose(String path, byte[] burst, String echo, int closeCode) throws Exception {
        for (int i = 0; i < ITERATIONS; i++) {
            try (RawClient client = RawClient.handshake(base, path)) {
                client.sendRaw(burst);
                Frame first = client.readFrame();
                assertEquals(RawClient.TEXT, first.opcode(), path + ", run " + i + ": the echo comes before the close");
                assertEquals(echo, first.text());
                Frame close = client.readFrame();
                assertEquals(RawClient.CLOSE, close.opcode());
                assertEquals(closeCode, close.closeCode());
            }
        }
    }
}
