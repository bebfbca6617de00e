package dev.edgesocket.origin;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import dev.edgesocket.api.Response;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.Pipe;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;

/**
 * A Pull Zone's HTTP side: each request that does not upgrade goes to the zone's origin on a pooled connection,
 * its body streamed there and the response's body streamed back, with back-pressure both ways and neither held
 * whole. Hop-by-hop fields stay behind; {@code X-Forwarded-For} (appended), {@code X-Forwarded-Proto},
 * {@code X-Forwarded-Host} and {@code Via} are added. An origin that cannot be reached, refuses or sends garbage
 * gets the client 502, one that is too slow 504, each with a sentence, before any byte of a response.
 */
@Singleton
public class HttpProxy {

    private static final Logger LOG = Logger.getLogger(HttpProxy.class);

    private final OriginClients clients;
    private final OriginMeters meters;
    private final Vertx vertx;

    @Inject
    public HttpProxy(OriginClients clients, OriginMeters meters, Vertx vertx, ZoneRegistry zones) {
        this.clients = clients;
        this.meters = meters;
        this.vertx = vertx;
        // A trust store that cannot be read stops the start, not the first request.
        for (Zone zone : zones.all()) {
            OriginSettings origin = zone.origin();
            if (origin != null && origin.secure() && !origin.insecure() && origin.trustStore().isPresent()) {
                try {
                    OriginClients.withJdkTrust(java.nio.file.Path.of(origin.trustStore().get()));
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("edgesocket.zones.\"" + zone.name() + "\"." + e.getMessage() + ".");
                }
            }
        }
    }

    /** A Pull Zone's request: proxied to {@code origin} as it came, the answer written to the client. */
    public void forward(RoutingContext rc, Zone zone, OriginSettings origin) {
        exchange(OriginCall.of(rc.request()), zone, origin).onComplete(done -> {
            if (done.succeeded()) {
                HttpServerResponse response = rc.response();
                HttpClientResponse answer = done.result();
                if (!response.closed() && !response.ended()) {
                    head(answer, response);
                }
                new OriginBody(answer, meters.forZone(zone.name())).writeTo(rc.request(), response);
            } else {
                fail(rc, zone, origin, failure(done.cause(), origin));
            }
        });
    }

    /**
     * A middleware script's request: sent to {@code origin}; completes, on the request's event loop, with the
     * origin's response (its body {@linkplain OriginBody streamed}, paused until written or let go), or with 502/504
     * and a sentence when the origin fails. Never fails.
     */
    public Future<Response> fetch(OriginCall call, Zone zone, OriginSettings origin) {
        return exchange(call, zone, origin).map(answer -> {
            io.vertx.core.MultiMap fields = io.vertx.core.MultiMap.caseInsensitiveMultiMap();
            HopByHop.copyEndToEnd(answer.headers(), fields);
            HopByHop.addVia(fields, answer.version());
            java.util.List<Map.Entry<String, String>> lines = new java.util.ArrayList<>();
            for (Map.Entry<String, String> field : fields) {
                lines.add(field);
            }
            return Response.streamed(answer.statusCode(), lines, new OriginBody(answer, meters.forZone(zone.name())));
        }).otherwise(failure -> {
            OriginFailure why = failure(failure, origin);
            meters.forZone(zone.name()).failed(why.cause());
            LOG.debugf("Zone '%s': %s %s -> %d: %s", zone.name(), call.method(), call.pathAndQuery(), why.status(),
                    why.sentence());
            return Response.text(why.status(), why.sentence() + "\n");
        });
    }

    /** The response head of the origin, as the client gets it: status, end-to-end fields and our Via. */
    private static void head(HttpClientResponse answer, HttpServerResponse response) {
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null && !answer.statusMessage().isEmpty()) {
            response.setStatusMessage(answer.statusMessage());
        }
        HopByHop.copyEndToEnd(answer.headers(), response.headers());
        HopByHop.addVia(response.headers(), answer.version());
    }

    private static OriginFailure failure(Throwable failure, OriginSettings origin) {
        return failure instanceof Failed failed ? failed.failure : OriginFailure.of(failure, origin);
    }

    /** A failure already classified (a timeout of ours). */
    private static final class Failed extends RuntimeException {
        final OriginFailure failure;

        Failed(OriginFailure failure) {
            super(failure.sentence(), null, false, false);
            this.failure = failure;
        }
    }

    /**
     * Sends a call to the origin on a pooled connection; completes with the response, its head read and its body
     * paused, or fails. Runs on the client request's event loop.
     */
    private Future<HttpClientResponse> exchange(OriginCall call, Zone zone, OriginSettings origin) {
        Future<HttpClientResponse> first = attempt(call, zone, origin);
        if (hasBody(call.in()) || !IDEMPOTENT.contains(call.method())) {
            return first;
        }
        // A kept-alive connection the origin closed just as it was reused fails before any answer; a request that
        // can be sent again safely (no body, idempotent) is, once, on another connection, as nginx does.
        return first.recover(failure -> failure(failure, origin).cause() == OriginFailure.Cause.DROPPED
                ? attempt(call, zone, origin) : Future.failedFuture(failure));
    }

    private static final java.util.Set<HttpMethod> IDEMPOTENT = java.util.Set.of(HttpMethod.GET, HttpMethod.HEAD,
            HttpMethod.OPTIONS, HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

    /** Whether a request has a body to send (a declared length above 0, chunks, or an HTTP/2 stream still open). */
    static boolean hasBody(HttpServerRequest in) {
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean chunked = in.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
        if (length != null) {
            return !length.equals("0");
        }
        // On HTTP/2 the end of a bodyless stream arrives after the headers: a GET or HEAD without a length has none.
        boolean bodyless = in.method() == HttpMethod.GET || in.method() == HttpMethod.HEAD;
        return chunked || in.version() == HttpVersion.HTTP_2 && !bodyless && !in.isEnded();
    }

    private Future<HttpClientResponse> attempt(OriginCall call, Zone zone, OriginSettings origin) {
        HttpServerRequest in = call.in();
        if (!in.isEnded()) {
            in.pause(); // the body waits until the origin's connection is there (an ended one cannot be paused)
        }
        OriginMeters.ForZone counted = meters.forZone(zone.name());
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(call.method())
                .setHost(origin.host())
                .setPort(origin.port())
                .setSsl(origin.secure())
                .setURI(origin.target(call.pathAndQuery()))
                .setConnectTimeout(origin.connectTimeout().toMillis());
        Promise<HttpClientResponse> answered = Promise.promise();
        clients.client(zone.name(), origin).request(options).onComplete(connected -> {
            if (connected.failed()) {
                if (!in.isEnded()) {
                    in.resume(); // nothing will take the body: it is read and dropped, so the connection goes on
                }
                answered.fail(connected.cause());
                return;
            }
            counted.connected(started);
            HttpClientRequest out = connected.result();
            HopByHop.copyEndToEnd(call.headers(), out.headers());
            String clientHost = in.authority() == null ? "" : in.authority().toString();
            if (origin.forwardHostHeader() && !clientHost.isEmpty()) {
                out.authority(HostAndPort.parseAuthority(clientHost, in.isSSL() ? 443 : 80));
            } else {
                out.authority(HostAndPort.create(origin.host(), origin.port()));
            }
            Forwarded.add(in, out.headers());
            HopByHop.addVia(out.headers(), in.version());
            new Exchange(in, origin, out, answered).start();
        });
        return answered.future();
    }

    /**
     * One request on its way to the origin until its response head. It lives on the request's event loop: the timer,
     * the response and the failures all run there, so its fields need no locking.
     */
    private final class Exchange {
        private final HttpServerRequest in;
        private final OriginSettings origin;
        private final HttpClientRequest out;
        private final Promise<HttpClientResponse> answered;
        private Pipe<Buffer> upload;
        private boolean settled; // the response head came, or the exchange failed
        private long timer = -1;

        Exchange(HttpServerRequest in, OriginSettings origin, HttpClientRequest out, Promise<HttpClientResponse> answered) {
            this.in = in;
            this.origin = origin;
            this.out = out;
            this.answered = answered;
        }

        void start() {
            out.exceptionHandler(ignored -> {
            }); // failures arrive through the futures below
            in.response().closeHandler(v -> abort()); // the client left: the origin's side goes too
            out.response().onComplete(head -> {
                if (settled) {
                    return;
                }
                settled = true;
                cancelTimer();
                if (head.failed()) {
                    abort();
                    answered.tryFail(head.cause());
                    return;
                }
                head.result().pause(); // until it is written, or let go
                answered.tryComplete(head.result());
            });
            String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (!hasBody(in)) {
                if (!in.isEnded()) {
                    in.resume(); // nothing to read, but the request must end for its connection to go on
                }
                if (length != null) {
                    out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
                }
                out.end().onSuccess(v -> awaitHead());
                return;
            }
            if (length != null) {
                out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
            } else {
                out.setChunked(true);
            }
            // The body streams at the pace the origin takes it; the clock for the response head starts when it is sent.
            upload = in.pipe();
            // A client body that breaks off must not reach the origin as if whole: no end on failure, abort() resets.
            upload.endOnFailure(false);
            upload.to(out).onComplete(sent -> {
                upload = null;
                if (sent.succeeded()) {
                    awaitHead();
                } else {
                    abort();
                }
            });
        }

        private void awaitHead() {
            if (settled) {
                return;
            }
            timer = vertx.setTimer(origin.responseTimeout().toMillis(), id -> {
                timer = -1;
                if (!settled) {
                    settled = true;
                    abort();
                    answered.tryFail(new Failed(OriginFailure.timeout("The origin " + origin.url()
                            + " did not answer within " + origin.responseTimeout().toMillis() + " ms.")));
                }
            });
        }

        private void cancelTimer() {
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        /** Stops both directions: the upload, if any, and the origin's stream. */
        private void abort() {
            cancelTimer();
            if (upload != null) {
                upload.close();
                upload = null;
            }
            out.reset();
        }
    }

    private void fail(RoutingContext rc, Zone zone, OriginSettings origin, OriginFailure failure) {
        if (rc.response().closed()) {
            return; // the client left, and its leaving reset the origin's side: nothing the origin did
        }
        meters.forZone(zone.name()).failed(failure.cause());
        // Origins fail; that is the origin's operator's news, not an error of this server.
        LOG.debugf("Zone '%s': %s %s -> %d: %s", zone.name(), rc.request().method(), rc.request().path(),
                failure.status(), failure.sentence());
        HttpServerResponse response = rc.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (response.headWritten()) {
            response.reset();
            return;
        }
        if (!rc.request().isEnded()) {
            rc.request().resume(); // what is left of the body is read and dropped
        }
        response.headers().clear();
        response.setStatusCode(failure.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
                .end(failure.sentence() + "\n");
    }

    /** The request target as the client sent it (raw, not decoded): path and query. */
    public static String rawPathAndQuery(HttpServerRequest in) {
        String path = in.path() == null || in.path().isEmpty() ? "/" : in.path();
        return in.query() == null ? path : path + "?" + in.query();
    }

}
