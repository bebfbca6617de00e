package dev.edgesocket.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;

/**
 * The floor under Quarkus: a raw Vert.x HttpServer with a WebSocket handler on {@code /echo}, the same
 * behaviour as the Quickstart (text gets "Echo: ", binary comes back as is).
 * {@code java -cp loadgen.jar dev.edgesocket.bench.VertxEchoServer [port]}
 */
public final class VertxEchoServer {

    private VertxEchoServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketMessageSize(1 << 20))
                .webSocketHandler(ws -> {
                    if (!"/echo".equals(ws.path())) {
                        ws.reject();
                        return;
                    }
                    ws.textMessageHandler(text -> ws.writeTextMessage("Echo: " + text));
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                })
                .listen(port)
                .onSuccess(s -> System.out.println("raw Vert.x echo listening on " + port))
                .onFailure(t -> {
                    t.printStackTrace();
                    System.exit(1);
                });
    }
}
