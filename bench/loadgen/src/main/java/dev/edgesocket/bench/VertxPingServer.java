package dev.edgesocket.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;

/**
 * The floor under edgesocket's heartbeats: a raw Vert.x echo server on {@code /echo} that pings every socket
 * every {@code intervalMillis}, with no pong bookkeeping, in one of two styles:
 * <ul>
 * <li>{@code batched} (default): the way edgesocket schedules, without its bookkeeping. Each event loop keeps its
 * sockets in 50 ms slots and one timer per event loop pings the slot that is due, so an event loop wakes 20
 * times a second however many sockets it holds. What this costs is what the transport itself costs for
 * N / interval pings and pongs a second.</li>
 * <li>{@code per-socket}: what one writes first, one periodic Vert.x timer per socket.</li>
 * </ul>
 * bench/hold.sh runs it with {@code SERVER=vertx-ping} (or {@code vertx-ping-per-socket}).
 * {@code java -cp loadgen.jar dev.edgesocket.bench.VertxPingServer [port] [intervalMillis] [batched|per-socket]}
 */
public final class VertxPingServer extends AbstractVerticle {

    private static final long SLOT_MILLIS = 50;
    private static final Buffer PING = Buffer.buffer("p");

    private final int port;
    private final long interval;
    private final boolean batched;
    /** This event loop's sockets by slot; touched only on this verticle's event loop. */
    private final List<Set<ServerWebSocket>> slots = new ArrayList<>();
    private long nextSlot;
    private long tick;

    private VertxPingServer(int port, long interval, boolean batched) {
        this.port = port;
        this.interval = interval;
        this.batched = batched;
        for (long i = 0; i < Math.max(1, interval / SLOT_MILLIS); i++) {
            slots.add(new LinkedHashSet<>());
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        long interval = args.length > 1 ? Long.parseLong(args[1]) : 5000;
        boolean batched = args.length < 3 || !args[2].equals("per-socket");
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        vertx.deployVerticle(() -> new VertxPingServer(port, interval, batched), new DeploymentOptions().setInstances(loops))
                .onSuccess(id -> System.out.println("raw Vert.x ping server on " + port + ", native transport "
                        + vertx.isNativeTransportEnabled() + ", ping every " + interval + " ms, "
                        + (batched ? "batched per event loop" : "one timer per socket")))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
        if (batched) {
            vertx.setPeriodic(SLOT_MILLIS, id -> {
                for (ServerWebSocket ws : slots.get((int) (tick++ % slots.size()))) {
                    ws.writePing(PING);
                }
            });
        }
        vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketMessageSize(1 << 20))
                .webSocketHandler(this::accept)
                .listen(port)
                .<Void>mapEmpty()
                .onComplete(started);
    }

    private void accept(ServerWebSocket ws) {
        if (!"/echo".equals(ws.path())) {
            ws.reject();
            return;
        }
        ws.textMessageHandler(text -> ws.writeTextMessage("Echo: " + text));
        ws.binaryMessageHandler(ws::writeBinaryMessage);
        if (batched) {
            Set<ServerWebSocket> slot = slots.get((int) (nextSlot++ % slots.size()));
            slot.add(ws);
            ws.closeHandler(v -> slot.remove(ws));
        } else {
            long periodic = vertx.setPeriodic(1 + (long) (Math.random() * interval), interval, p -> ws.writePing(PING));
            ws.closeHandler(v -> vertx.cancelTimer(periodic));
        }
    }
}
