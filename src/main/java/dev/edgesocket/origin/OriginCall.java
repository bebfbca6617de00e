package dev.edgesocket.origin;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * One request on its way to a zone's origin: the client's request it comes from (its body, address, scheme, host
 * and protocol version), and what goes to the origin, as the client sent it or as a middleware script changed it.
 *
 * @param in           the client's request, on whose event loop the call runs
 * @param method       the method the origin gets
 * @param pathAndQuery the raw path and query the origin gets, below the origin URL's own path
 * @param headers      the fields the origin gets before the hop-by-hop ones are dropped and ours added
 */
public record OriginCall(HttpServerRequest in, HttpMethod method, String pathAndQuery, MultiMap headers) {

    /** The client's request as it came. */
    public static OriginCall of(HttpServerRequest in) {
        return new OriginCall(in, in.method(), HttpProxy.rawPathAndQuery(in), in.headers());
    }
}
