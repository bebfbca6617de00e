package dev.edgesocket.origin;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import io.vertx.core.Vertx;
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

    /** Proxies one request of {@code zone} to {@code origin}; runs on the request's event loop. */
    public void forward(RoutingContext rc, Zone zone, OriginSettings origin) {
        HttpServerRequest in = rc.request();
        in.pause(); // the body waits until the origin's connection is there
        OriginMeters.ForZone counted = meters.forZone(zone.name());
        long started = System.nanoTime();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(origin.host())
                .setPort(origin.port())
                .setSsl(origin.secure())
                .setURI(origin.target(rawPathAndQuery(in)))
                .setConnectTimeout(origin.connectTimeout().toMillis());
        clients.client(zone.name(), origin).request(options).onComplete(connected -> {
            if (connected.failed()) {
                fail(rc, zone, origin, OriginFailure.of(connected.cause(), origin));
                return;
            }
            counted.connected(started);
            send(rc, zone, origin, connected.result());
        });
    }

    private void send(RoutingContext rc, Zone zone, OriginSettings origin, HttpClientRequest out) {
        HttpServerRequest in = rc.request();
        HopByHop.copyEndToEnd(in.headers(), out.headers());
        String clientHost = in.authority() == null ? "" : in.authority().toString();
        if (origin.forwardHostHeader() && !clientHost.isEmpty()) {
            out.authority(HostAndPort.parseAuthority(clientHost, in.isSSL() ? 443 : 80));
        } else {
            out.authority(HostAndPort.create(origin.host(), origin.port()));
        }
        Forwarded.add(in, out.headers());
        HopByHop.addVia(out.headers(), in.version());
        new Exchange(rc, zone, origin, out).start();
    }

    /**
     * One request on its way to the origin and back. It lives on the request's event loop: the timer, the response
     * and the failures all run there, so its fields need no locking.
     */
    private final class Exchange {
        private final RoutingContext rc;
        private final Zone zone;
        private final OriginSettings origin;
        private final HttpClientRequest out;
        private Pipe<Buffer> upload;
        private boolean settled; // the response head came, or the exchange failed
        private long timer = -1;

        Exchange(RoutingContext rc, Zone zone, OriginSettings origin, HttpClientRequest out) {
            this.rc = rc;
            this.zone = zone;
            this.origin = origin;
            this.out = out;
        }

        void start() {
            HttpServerRequest in = rc.request();
            out.exceptionHandler(ignored -> {
            }); // failures arrive through the futures below
            rc.response().closeHandler(v -> abort()); // the client left: the origin's side goes too
            out.response().onComplete(answered -> {
                if (settled) {
                    return;
                }
                settled = true;
                cancelTimer();
                if (answered.failed()) {
                    abort();
                    fail(rc, zone, origin, OriginFailure.of(answered.cause(), origin));
                    return;
                }
                relayResponse(rc, zone, origin, answered.result());
            });
            String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
            boolean chunked = in.headers().contains(HttpHeaders.TRANSFER_ENCODING, HttpHeaders.CHUNKED, true);
            boolean body = length != null ? !length.equals("0") : chunked || in.version() == HttpVersion.HTTP_2 && !in.isEnded();
            if (!body) {
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
                    fail(rc, zone, origin, OriginFailure.timeout("The origin " + origin.url() + " did not answer within "
                            + origin.responseTimeout().toMillis() + " ms."));
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

    private void relayResponse(RoutingContext rc, Zone zone, OriginSettings origin, HttpClientResponse answer) {
        HttpServerResponse response = rc.response();
        if (response.closed() || response.ended()) {
            answer.request().reset();
            return;
        }
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null && !answer.statusMessage().isEmpty()) {
            response.setStatusMessage(answer.statusMessage());
        }
        HopByHop.copyEndToEnd(answer.headers(), response.headers());
        HopByHop.addVia(response.headers(), answer.version());
        boolean bodyless = rc.request().method() == HttpMethod.HEAD || answer.statusCode() == 204
                || answer.statusCode() == 304 || answer.statusCode() < 200;
        if (!bodyless && answer.getHeader(HttpHeaders.CONTENT_LENGTH) == null
                && rc.request().version() != HttpVersion.HTTP_2) {
            response.setChunked(true);
        }
        answer.pipeTo(response).onFailure(failure -> {
            if (response.closed()) {
                return; // the client left: nothing the origin did
            }
            // The head is out: all the client can learn now is that the body ended early.
            meters.forZone(zone.name()).failed(OriginFailure.Cause.DROPPED);
            LOG.debugf("The response of the origin %s to %s %s broke off: %s", origin.url(), rc.request().method(),
                    rc.request().path(), failure.getMessage());
            response.reset();
        });
    }

    private void fail(RoutingContext rc, Zone zone, OriginSettings origin, OriginFailure failure) {
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
    static String rawPathAndQuery(HttpServerRequest in) {
        String path = in.path() == null || in.path().isEmpty() ? "/" : in.path();
        return in.query() == null ? path : path + "?" + in.query();
    }

    /** Read by tests and /api/stats: a zone's counts. */
    public Map<String, Long> counts(String zone) {
        OriginMeters.ForZone counted = meters.forZone(zone);
        return Map.of("connects", counted.connects(), "failures", counted.failures());
    }
}
