package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * permessage-deflate (RFC 7692) on a zone with {@code websockets.compression=true} (/deflate, 256 KiB
 * max-message-size), against an independent implementation: Vert.x's client, which uses Netty's.
 */
@QuarkusTest
class CompressionTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aZoneWithCompressionNegotiatesItAndEchoesCompressedMessages() {
        try (WsClient client = WsClient.connectCompressed(base, "/deflate")) {
            String extensions = client.handshakeHeader("Sec-WebSocket-Extensions");
            assertTrue(extensions != null && extensions.startsWith("permessage-deflate"), "negotiated: " + extensions);
            assertTrue(extensions.contains("server_no_context_takeover"), "the server compresses each message on its own");
            String text = "The same sentence again and again. ".repeat(2000);
            for (int i = 0; i < 3; i++) { // several messages: the client's context carries over between them
                client.send(text + i);
                client.expectText("Echo: " + text + i);
            }
            byte[] binary = new byte[100_000];
            for (int i = 0; i < binary.length; i++) {
                binary[i] = (byte) (i % 7);
            }
            client.send(binary);
            assertArrayEquals(binary, client.nextBinary());
            client.send("short");
            client.expectText("Echo: short");
        }
    }

    @Test
    void aSmallCompressedMessageThatInflatesPastTheLimitCloses1009() {
        try (WsClient client = WsClient.connectCompressed(base, "/deflate")) {
            client.send("a".repeat(300 * 1024)); // a few hundred bytes on the wire, 300 KiB inflated
            assertEquals(new WsClient.Closed(1009, "Message is too large"), client.awaitClose());
        }
    }

    @Test
    void aZoneWithoutCompressionDeclinesTheOffer() throws Exception {
        try (WsClient client = WsClient.connectCompressed(base, "/lab")) {
            assertNull(client.handshakeHeader("Sec-WebSocket-Extensions"));
            client.send("plain");
            client.expectText("Echo: plain");
        }
        Map<String, String> headers = RawClient.validHandshakeHeaders(base);
        headers.put("Sec-WebSocket-Extensions", "permessage-deflate; server_max_window_bits=10; client_max_window_bits");
        try (RawClient client = RawClient.open(base)) {
            RawClient.HttpAnswer answer = client.request("GET", "/deflate", headers);
            assertEquals(101, answer.status());
            assertEquals("permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
                    answer.header("Sec-WebSocket-Extensions"));
        }
    }
}
