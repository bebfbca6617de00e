package dev.edgesocket.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.edgesocket.testing.WsClient;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The Quickstart echo zone's acceptance tests, over real sockets: {@code EchoTest} runs them against the Java
 * zone, {@code TypeScriptEchoTest} against its TypeScript twin. (Abstract, so that it is no bean of its own.)
 */
abstract class EchoAcceptance {

    @TestHTTPResource("/")
    URI base;

    /** The zone under test. */
    abstract String path();

    @Test
    void textComesBackWithThePrefix() {
        try (WsClient client = WsClient.connect(base, path())) {
            client.send("hello");
            client.expectText("Echo: hello");
            client.send("héllo wörld ✓ 😀");
            client.expectText("Echo: héllo wörld ✓ 😀");
        }
    }

    @Test
    void binaryComesBackAsBinaryByteForByte() {
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        try (WsClient client = WsClient.connect(base, path())) {
            client.send(every);
            assertArrayEquals(every, client.nextBinary());
            client.send(new byte[0]);
            assertArrayEquals(new byte[0], client.nextBinary());
        }
    }

    @Test
    void hundredConcurrentClientsEachGetOnlyTheirOwnEchoesInOrder() throws Exception {
        int clients = 100;
        int messages = 20;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    try (WsClient client = WsClient.connect(base, path())) {
                        for (int m = 0; m < messages; m++) {
                            client.send("client " + id + " message " + m);
                        }
                        List<String> got = new ArrayList<>();
                        for (int m = 0; m < messages; m++) {
                            got.add(client.nextText());
                        }
                        client.expectNothingFor(100);
                        return got;
                    }
                }));
            }
            for (int c = 0; c < clients; c++) {
                List<String> expected = new ArrayList<>();
                for (int m = 0; m < messages; m++) {
                    expected.add("Echo: client " + c + " message " + m);
                }
                assertEquals(expected, results.get(c).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aOneMebibyteTextMessageRoundTrips() {
        StringBuilder text = new StringBuilder(1 << 20);
        for (int i = 0; i < (1 << 20); i++) {
            text.append((char) ('a' + i % 26));
        }
        try (WsClient client = WsClient.connect(base, path())) {
            client.send(text.toString());
            String echo = client.nextText();
            assertEquals(6 + (1 << 20), echo.length());
            assertEquals("Echo: " + text, echo);
        }
    }
}
