package dev.edgesocket.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The origin behind the proxies of bench/origins.sh: on every path, a WebSocket gets the Quickstart's echo (text
 * gets "Echo: ", binary comes back as is, so the load generator's echo mode checks replies through a proxy as it
 * does against a server) and a plain request gets a small fixed body with a Content-Length (keep-alive).
 * One event loop: the proxies in front of it, not the origin, are what is measured, and both meet the same origin.
 * {@code java -cp loadgen.jar dev.edgesocket.bench.VertxOriginServer [port]}
 */
public final class VertxOriginServer {

    private VertxOriginServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Buffer body = Buffer.buffer("hello from the origin\n");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketMessageSize(1 << 20))
                .webSocketHandler(ws -> {
                    ws.textMessageHandler(text -> ws.writeTextMessage("Echo: " + text));
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                })
                .requestHandler(request -> request.response()
                        .putHeader("Content-Type", "text/plain").end(body))
                .listen(port)
                .onSuccess(s -> System.out.println("origin listening on " + port))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
