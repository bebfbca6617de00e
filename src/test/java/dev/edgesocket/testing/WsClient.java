package dev.edgesocket.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * A real WebSocket client for tests, on Vert.x core: what arrives is queued, and the test takes it
 * with a timeout. Text arrives as {@link String}, binary as {@code byte[]}, the close as {@link Closed}.
 */
public final class WsClient implements AutoCloseable {

    /** The close the server sent, as the client saw it. */
    public record Closed(int code, String reason) {
    }

    private static final Vertx VERTX = Vertx.vertx();
    private static final int MAX = 64 * 1024 * 1024;

    private final WebSocket socket;
    private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();

    private final java.util.Map<String, String> handshake;

    private WsClient(WebSocket socket, java.util.Map<String, String> handshake) {
        this.socket = socket;
        this.handshake = handshake;
        socket.textMessageHandler(received::add);
        socket.binaryMessageHandler(buffer -> received.add(buffer.getBytes()));
        socket.closeHandler(v -> {
            Short code = socket.closeStatusCode();
            Closed c = new Closed(code == null ? 1006 : code, socket.closeReason() == null ? "" : socket.closeReason());
            closed.complete(c);
        });
        socket.exceptionHandler(t -> {
        });
    }

    public static WsClient connect(URI base, String path, String... protocols) {
        return connect(false, base, path, protocols);
    }

    /**
     * Connects to a zone that greets each client with a text message at once (the chat's "welcome"), and returns
     * once the greeting, a text containing {@code greeting}, has been read. Vert.x's client now and then (about
     * once in 300 connections here) loses a frame that arrives in the same read as the handshake's 101, where a
     * raw client on the same server loses none of 150; so a connection whose greeting did not arrive within
     * 3 s is closed and made again, at most three times.
     */
    public static WsClient connectGreeted(URI base, String path, String greeting) {
        for (int attempt = 1; ; attempt++) {
            WsClient client = connect(base, path);
            Object first = client.poll(3000);
            if (first instanceof String text && text.contains(greeting)) {
                return client;
            }
            client.close();
            if (first != null || attempt == 3) {
                throw new AssertionError("the greeting " + greeting + " did not come first on " + path + ": " + first);
            }
        }
    }

    /** Connects offering permessage-deflate (Vert.x's, that is Netty's, implementation). */
    public static WsClient connectCompressed(URI base, String path) {
        return connect(true, base, path);
    }

    private static WsClient connect(boolean compression, URI base, String path, String... protocols) {
        WebSocketClient client = VERTX.createWebSocketClient(new WebSocketClientOptions()
                .setMaxFrameSize(MAX)
                .setMaxMessageSize(MAX)
                .setTryUsePerMessageCompression(compression)
                .setConnectTimeout(10_000));
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(base.getHost())
                .setPort(base.getPort())
                .setURI(path)
                .setSubProtocols(protocols.length == 0 ? null : List.of(protocols));
        try {
            java.util.Map<String, String> handshake = new java.util.concurrent.ConcurrentHashMap<>();
            // The handlers go on as the socket is handed over, on its event loop: a message the server sends at
            // once (in its "open" listener) may arrive with the handshake's response.
            return client.connect(options).map(ws -> {
                // The handshake's headers are readable only now.
                if (ws.headers() != null) {
                    ws.headers().forEach(h -> handshake.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
                }
                return new WsClient(ws, handshake);
            }).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Could not connect to " + path + ": " + e, e);
        }
    }

    /** A header of the server's handshake response, or null. */
    public String handshakeHeader(String name) {
        return handshake.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public String subProtocol() {
        return socket.subProtocol() == null ? "" : socket.subProtocol();
    }

    public WsClient send(String text) {
        socket.writeTextMessage(text);
        return this;
    }

    public WsClient send(byte[] bytes) {
        socket.writeBinaryMessage(Buffer.buffer(bytes));
        return this;
    }

    public void close(int code, String reason) {
        socket.close((short) code, reason);
    }

    /** The next message, text or binary. */
    public Object next() {
        try {
            Object message = received.poll(15, TimeUnit.SECONDS);
            assertNotNull(message, "no message arrived within 15 s");
            return message;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    public String nextText() {
        Object message = next();
        assertTrue(message instanceof String, "expected a text message, got " + describe(message));
        return (String) message;
    }

    public byte[] nextBinary() {
        Object message = next();
        assertTrue(message instanceof byte[], "expected a binary message, got " + describe(message));
        return (byte[]) message;
    }

    public void expectText(String expected) {
        assertEquals(expected, nextText());
    }

    /** Waits for the server's close. */
    public Closed awaitClose() {
        try {
            return closed.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the connection did not close within 15 s", e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The next message if one arrives within the given time (a String or a byte[]), else null. */
    public Object poll(long millis) {
        try {
            return received.poll(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Nothing more arrived within the given time (for "this must not happen" checks). */
    public void expectNothingFor(long millis) {
        try {
            Object message = received.poll(millis, TimeUnit.MILLISECONDS);
            assertEquals(null, message, "no message was expected");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String describe(Object message) {
        return message instanceof byte[] b ? b.length + " binary bytes" : "text '" + message + "'";
    }

    @Override
    public void close() {
        if (!socket.isClosed()) {
            socket.close();
        }
    }
}
