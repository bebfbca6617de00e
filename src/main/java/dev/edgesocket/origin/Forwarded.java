package dev.edgesocket.origin;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

/**
 * The {@code X-Forwarded-*} fields an origin reads to learn who asked: the peer's address appended to any
 * {@code X-Forwarded-For} already there (as nginx's {@code $proxy_add_x_forwarded_for}), the scheme and the host the
 * client used. Which peers to believe is the client-identity issue's; today every peer is taken as it is.
 */
final class Forwarded {

    private Forwarded() {
    }

    static void add(HttpServerRequest in, MultiMap out) {
        String peer = in.remoteAddress() == null ? null : in.remoteAddress().hostAddress();
        String earlier = String.join(", ", in.headers().getAll("X-Forwarded-For"));
        if (peer != null) {
            out.set("X-Forwarded-For", earlier.isEmpty() ? peer : earlier + ", " + peer);
        }
        out.set("X-Forwarded-Proto", in.isSSL() ? "https" : "http");
        if (in.authority() != null) {
            out.set("X-Forwarded-Host", in.authority().toString());
        }
    }
}
