package dev.edgesocket.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The floor under edgesocket's heartbeats: a raw Vert.x echo server on {@code /echo} that pings every socket
 * every {@code intervalMillis} (one periodic timer per socket, first ping at a random offset so they spread),
 * with no pong bookkeeping at all. Whatever CPU it spends holding N sockets is what the transport itself costs
 * for N / interval pings and pongs a second; bench/hold.sh runs it with {@code SERVER=vertx-ping}.
 * {@code java -cp loadgen.jar dev.edgesocket.bench.VertxPingServer [port] [intervalMillis]}
 */
public final class VertxPingServer {

    private VertxPingServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        long interval = args.length > 1 ? Long.parseLong(args[1]) : 5000;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Buffer ping = Buffer.buffer("p");
        vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketMessageSize(1 << 20))
                .webSocketHandler(ws -> {
                    if (!"/echo".equals(ws.path())) {
                        ws.reject();
                        return;
                    }
                    ws.textMessageHandler(text -> ws.writeTextMessage("Echo: " + text));
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                    long first = 1 + (long) (Math.random() * interval);
                    vertx.setTimer(first, t -> {
                        if (ws.isClosed()) {
                            return;
                        }
                        ws.writePing(ping);
                        long periodic = vertx.setPeriodic(interval, p -> ws.writePing(ping));
                        ws.closeHandler(v -> vertx.cancelTimer(periodic));
                    });
                })
                .listen(port)
                .onSuccess(s -> System.out.println("raw Vert.x ping server listening on " + port + ", ping every "
                        + interval + " ms"))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
