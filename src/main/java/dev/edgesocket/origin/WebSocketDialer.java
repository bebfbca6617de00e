package dev.edgesocket.origin;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Zone;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;

/**
 * Opens a Pull Zone's WebSocket to its origin before the client's handshake completes: the client's path, query,
 * end-to-end headers and subprotocol offers go there, with the forwarded fields. The answer is the origin's socket,
 * its refusal (any non-101 answer, passed to the client as it is), or a failure (502, 504).
 */
@Singleton
public class WebSocketDialer {

    private static final Logger LOG = Logger.getLogger(WebSocketDialer.class);

    /** What dialing the origin gave. */
    public sealed interface Dialed {
    }

    /**
     * The origin accepted: its socket (paused until the relay starts) and the subprotocol it chose, or "". As a
     * middleware script's 101 response, it is that response's body.
     */
    public record Connected(WebSocket socket, String protocol) implements Dialed, dev.edgesocket.api.Response.Streamed {
    }

    /** The origin answered something else than 101: the client gets it unchanged. */
    public record Refused(int status, MultiMap headers, Buffer body) implements Dialed {

        /** The origin's answer as a script's response: status, end-to-end fields (and our Via), body. */
        public dev.edgesocket.api.Response toResponse(io.vertx.core.http.HttpVersion version) {
            MultiMap fields = MultiMap.caseInsensitiveMultiMap();
            HopByHop.copyEndToEnd(headers, fields);
            HopByHop.addVia(fields, version);
            String type = fields.get("Content-Type");
            dev.edgesocket.api.Response response = dev.edgesocket.api.Response.bytes(status,
                    body == null ? new byte[0] : body.getBytes(), type == null ? "application/octet-stream" : type);
            for (java.util.Map.Entry<String, String> field : fields) {
                if (!field.getKey().equalsIgnoreCase("Content-Type") && !field.getKey().equalsIgnoreCase("Content-Length")) {
                    response = response.withHeader(field.getKey(), field.getValue());
                }
            }
            return response;
        }

        /** Answers the client with the origin's status, end-to-end fields (and our Via) and body. */
        public void writeTo(io.vertx.core.http.HttpServerResponse response, io.vertx.core.http.HttpVersion version) {
            if (response.closed() || response.ended()) {
                return;
            }
            response.setStatusCode(status);
            HopByHop.copyEndToEnd(headers, response.headers());
            response.headers().remove("Content-Length");
            HopByHop.addVia(response.headers(), version);
            response.end(body == null ? Buffer.buffer() : body);
        }
    }

    /** The origin could not be reached or did not answer: 502 or 504 with a sentence. */
    public record Failed(int status, String sentence) implements Dialed {
    }

    private final OriginClients clients;
    private final OriginMeters meters;

    @Inject
    public WebSocketDialer(OriginClients clients, OriginMeters meters) {
        this.clients = clients;
        this.meters = meters;
    }

    /**
     * Dials the origin for an upgrade request on its event loop; the future completes there. {@code protocols} are
     * the client's offers, {@code maxMessageSize} the zone's bound for the origin's messages.
     */
    public Future<Dialed> dial(OriginCall call, Zone zone, OriginSettings origin, List<String> protocols,
            int maxMessageSize) {
        HttpServerRequest in = call.in();
        OriginMeters.ForZone counted = meters.forZone(zone.name());
        long started = System.nanoTime();
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(origin.host()).setPort(origin.port()).setSsl(origin.secure())
                .setURI(origin.target(call.pathAndQuery()))
                .setConnectTimeout(origin.connectTimeout().toMillis())
                .setTimeout(origin.responseTimeout().toMillis())
                .setSubProtocols(protocols.isEmpty() ? null : protocols)
                // The client's Origin is end-to-end and goes to the origin (which may check it, as browsers' sites
                // do); false would strip it as well, while true with none from the client makes Netty invent one.
                .setAllowOriginHeader(in.headers().contains("Origin"));
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        HopByHop.copyEndToEnd(call.headers(), headers);
        // The handshake's own fields are the client's to the origin, made anew by Vert.x; compression is ours.
        for (String own : List.of("Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Protocol",
                "Sec-WebSocket-Extensions", "Sec-WebSocket-Accept", "Content-Length")) {
            headers.remove(own);
        }
        Forwarded.add(in, headers);
        HopByHop.addVia(headers, in.version());
        if (origin.forwardHostHeader() && in.authority() != null) {
            headers.set("Host", in.authority().toString());
        }
        options.setHeaders(headers);
        return clients.webSocketClient(zone.name(), origin, maxMessageSize).connect(options)
                .<Dialed>map(socket -> {
                    socket.pause(); // nothing is read from the origin until the client's socket is open
                    counted.connected(started);
                    String protocol = socket.subProtocol();
                    return new Connected(socket, protocol == null ? "" : protocol);
                })
                .otherwise(failure -> {
                    if (failure instanceof UpgradeRejectedException refused) {
                        return new Refused(refused.getStatus(), refused.getHeaders(), refused.getBody());
                    }
                    OriginFailure why = OriginFailure.of(failure, origin);
                    // Vert.x ends a handshake that outlived its timeout by closing the connection: what looks like a
                    // drop at the deadline is the timeout.
                    boolean atDeadline = System.nanoTime() - started >= origin.responseTimeout().toNanos() - 50_000_000L;
                    if (why.cause() == OriginFailure.Cause.DROPPED && atDeadline
                            || why.cause() == OriginFailure.Cause.TIMEOUT && isHandshakeTimeout(failure)) {
                        why = OriginFailure.timeout("The origin " + origin.url() + " did not answer the WebSocket "
                                + "handshake within " + origin.responseTimeout().toMillis() + " ms.");
                    }
                    counted.failed(why.cause());
                    LOG.debugf("Zone '%s': the WebSocket to the origin failed: %s", zone.name(), why.sentence());
                    return new Failed(why.status(), why.sentence());
                });
    }

    private static boolean isHandshakeTimeout(Throwable failure) {
        return !(failure instanceof io.netty.channel.ConnectTimeoutException)
                && !(failure.getCause() instanceof io.netty.channel.ConnectTimeoutException);
    }
}
