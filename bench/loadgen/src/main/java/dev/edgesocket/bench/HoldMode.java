package dev.edgesocket.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Opens {@code connections} idle WebSockets, spread over source addresses 127.0.0.2, 127.0.0.3, ...
 * ({@code perSource} each: one address gives only ~28k ports), answers every ping (Vert.x does so by
 * itself), holds them for {@code seconds} and reports how many failed to open and how many the
 * server closed before the end (which, for clients that answer pings, is wrong).
 */
final class HoldMode {

    private final URI url;
    private final int connections;
    private final int seconds;
    private final int perSource;
    private final int inFlight;
    private final int firstSource;

    HoldMode(LoadGen.Options o) {
        url = URI.create(o.text("url", "ws://127.0.0.1:8080/echo"));
        connections = o.integer("connections", 15000);
        seconds = o.integer("seconds", 300);
        perSource = o.integer("perSource", 10000);
        inFlight = o.integer("inFlight", 200);
        // A second hold client next to a first one starts at a later address: firstSource=3 means 127.0.0.3.
        firstSource = o.integer("firstSource", 2);
        compress = o.flag("compress", false);
        hello = o.text("hello", "");
        noContext = o.flag("noContext", false);
    }

    /** With compress: also offer client_no_context_takeover, so the server keeps no inflater between messages. */
    private final boolean noContext;

    /** Offer permessage-deflate (Vert.x keeps its context: the server then keeps an inflater per socket). */
    private final boolean compress;
    /** A text each socket sends once after opening, so that compressed sockets have inflated something. */
    private final String hello;

    int run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        List<WebSocketClient> clients = new ArrayList<>();
        for (int s = 0; s * perSource < connections; s++) {
            clients.add(vertx.createWebSocketClient(new WebSocketClientOptions()
                    .setLocalAddress("127.0.0." + (firstSource + s))
                    .setConnectTimeout(30_000)
                    .setTryUsePerMessageCompression(compress)
                    .setCompressionAllowClientNoContext(noContext)
                    .setMaxConnections(connections)));
        }
        AtomicInteger opened = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger closedEarly = new AtomicInteger();
        List<WebSocket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore window = new Semaphore(inFlight);
        CountDownLatch attempts = new CountDownLatch(connections);
        long start = System.nanoTime();
        for (int i = 0; i < connections; i++) {
            window.acquire();
            WebSocketClient client = clients.get(i / perSource);
            WebSocketConnectOptions options = new WebSocketConnectOptions()
                    .setHost(url.getHost()).setPort(url.getPort()).setURI(url.getRawPath());
            client.connect(options).onComplete(ar -> {
                window.release();
                if (ar.succeeded()) {
                    WebSocket ws = ar.result();
                    sockets.add(ws);
                    opened.incrementAndGet();
                    ws.closeHandler(v -> closedEarly.incrementAndGet());
                    if (!hello.isEmpty()) {
                        ws.writeTextMessage(hello);
                    }
                } else {
                    if (failed.incrementAndGet() <= 5) {
                        System.err.println("connect failed: " + ar.cause());
                    }
                }
                attempts.countDown();
            });
        }
        attempts.await(10, TimeUnit.MINUTES);
        double openSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("opened %d of %d in %.1f s (%d failed); holding for %d s%n", opened.get(), connections,
                openSeconds, failed.get(), seconds);
        System.out.println("READY");
        System.out.flush();
        long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < holdEnd) {
            Thread.sleep(1000);
        }
        int wronglyClosed = closedEarly.get();
        System.out.printf("RESULT mode=hold connections=%d opened=%d failed=%d wronglyClosed=%d openSeconds=%.1f heldSeconds=%d%n",
                connections, opened.get(), failed.get(), wronglyClosed, openSeconds, seconds);
        System.out.flush();
        for (WebSocket ws : sockets) {
            ws.close();
        }
        Thread.sleep(2000);
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        return failed.get() == 0 && wronglyClosed == 0 ? 0 : 1;
    }
}
