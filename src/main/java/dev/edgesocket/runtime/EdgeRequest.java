package dev.edgesocket.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.UpgradeOptions;
import dev.edgesocket.api.WebSocketUpgrade;
import dev.edgesocket.zone.Place;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneSettings;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/**
 * A request as the script sees it: a copy taken on the event loop, so the script may read it from
 * any thread while Vert.x goes on with its own objects.
 */
final class EdgeRequest implements Request {

    private final String method;
    private final String url;
    private final boolean secure;
    private final String host;
    private final String path;
    private final String query;
    private final boolean http11;
    private final String remoteAddress;
    private final Map<String, List<String>> headers;
    private final List<String> protocols;
    private final Zone zone;
    private final ZoneSettings settings;
    private final SocketRuntime runtime;
    private final Exchange exchange;
    private Map<String, List<String>> queryParams;

    /**
     * What every copy of one request ({@link #withHeader}) shares: the client's request and its event loop, the zone
     * place an upgrade request took before the script ran (until it goes back or to the socket), the upgrade, and
     * what was forwarded to the origin.
     */
    static final class Exchange {
        final RoutingContext rc;
        final Context context;
        final Place place;
        final OriginForwarding origins;
        WebSocketUpgrade upgrade;
        boolean forwarded;
        boolean ended; // answered or given up: what comes from the origin later is let go at once
        final List<Response.Streamed> fromOrigin = new ArrayList<>(1);

        Exchange(RoutingContext rc, Context context, Place place, OriginForwarding origins) {
            this.rc = rc;
            this.context = context;
            this.place = place;
            this.origins = origins;
        }
    }

    private EdgeRequest(RoutingContext rc, Zone zone, SocketRuntime runtime, Exchange exchange) {
        this.exchange = exchange;
        HttpServerRequest request = rc.request();
        this.method = request.method().name();
        this.url = request.absoluteURI();
        this.secure = request.isSSL();
        this.host = request.authority() == null ? "" : request.authority().toString();
        this.path = request.path();
        this.query = request.query() == null ? "" : request.query();
        this.http11 = request.version() == HttpVersion.HTTP_1_1;
        this.remoteAddress = String.valueOf(request.remoteAddress());
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        request.headers().forEach(e -> copy.computeIfAbsent(e.getKey(), k -> new ArrayList<>(1)).add(e.getValue()));
        copy.replaceAll((k, v) -> List.copyOf(v));
        this.headers = Collections.unmodifiableMap(copy);
        this.protocols = parseProtocols(headers(HEADER_PROTOCOL));
        this.zone = zone;
        this.settings = zone.settings();
        this.runtime = runtime;
    }

    /** A copy with other headers, sharing the exchange. */
    private EdgeRequest(EdgeRequest from, Map<String, List<String>> headers) {
        this.exchange = from.exchange;
        this.method = from.method;
        this.url = from.url;
        this.secure = from.secure;
        this.host = from.host;
        this.path = from.path;
        this.query = from.query;
        this.http11 = from.http11;
        this.remoteAddress = from.remoteAddress;
        this.headers = headers;
        this.protocols = parseProtocols(headers(HEADER_PROTOCOL));
        this.zone = from.zone;
        this.settings = from.settings;
        this.runtime = from.runtime;
    }

    private static final String HEADER_PROTOCOL = "Sec-WebSocket-Protocol";

    /** The request of {@code rc}, taken on its event loop; {@code origins} forwards it in a zone with an origin. */
    static EdgeRequest from(RoutingContext rc, Zone zone, SocketRuntime runtime, Place place, OriginForwarding origins) {
        return new EdgeRequest(rc, zone, runtime, new Exchange(rc, Vertx.currentContext(), place, origins));
    }

    Exchange exchange() {
        return exchange;
    }

    /** Gives back the zone place this request took, if it still holds it; true when it did. */
    boolean releasePlaceIfHeld() {
        return exchange.place.release();
    }

    /** The approved socket takes over the zone place; it gives it back when it closes. */
    void handPlaceTo(EdgeWebSocket socket) {
        socket.holdPlace(exchange.place.transfer());
    }

    private static List<String> parseProtocols(List<String> headerValues) {
        List<String> result = new ArrayList<>();
        for (String value : headerValues) {
            for (String part : value.split(",")) {
                String protocol = part.trim();
                if (!protocol.isEmpty() && !result.contains(protocol)) {
                    result.add(protocol);
                }
            }
        }
        return List.copyOf(result);
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public synchronized Map<String, List<String>> queryParams() {
        if (queryParams == null) {
            Map<String, List<String>> decoded = new QueryStringDecoder(query, false).parameters();
            Map<String, List<String>> copy = new LinkedHashMap<>();
            decoded.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            queryParams = Collections.unmodifiableMap(copy);
        }
        return queryParams;
    }

    @Override
    public Optional<String> queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Optional<String> header(String name) {
        List<String> values = headers.get(name);
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public List<String> protocols() {
        return protocols;
    }

    boolean isHttp11() {
        return http11;
    }

    Zone zone() {
        return zone;
    }

    @Override
    public WebSocketUpgrade upgradeWebSocket(UpgradeOptions options) {
        synchronized (exchange) {
            if (exchange.upgrade != null) {
                throw new IllegalStateException("upgradeWebSocket() was already called for this request.");
            }
            if (exchange.forwarded) {
                throw new IllegalStateException("This request was forwarded to the origin; return the origin's "
                        + "response to upgrade it.");
            }
            return upgradeHere(options);
        }
    }

    private WebSocketUpgrade upgradeHere(UpgradeOptions options) {
        UpgradeOptions opts = options == null ? UpgradeOptions.defaults() : options;
        HandshakeCheck.check(this);
        String protocol = SubprotocolNegotiation.choose(opts.protocol(), protocols, settings.subprotocols(), zone.name());
        Duration idleTimeout = opts.idleTimeout() != null ? Duration.ofSeconds(opts.idleTimeout()) : settings.idleTimeout();
        PerMessageDeflate.Agreement deflate = settings.compression()
                ? PerMessageDeflate.negotiate(headers(PerMessageDeflate.HEADER)) : null;
        EdgeWebSocket socket = runtime.newSocket(zone, settings, webSocketUrl(), webSocketOrigin(), protocol,
                idleTimeout, deflate, remoteAddress);
        exchange.upgrade = new WebSocketUpgrade(Response.status(101), socket);
        return exchange.upgrade;
    }

    /**
     * The client's socket of a Pull Zone, whose origin accepted the upgrade with {@code protocol}: the zone's
     * settings and compression, the origin's choice of subprotocol. The handshake was checked before the origin
     * was dialed ({@link HandshakeCheck#check}).
     */
    EdgeWebSocket upgradeForOrigin(String protocol) {
        PerMessageDeflate.Agreement deflate = settings.compression()
                ? PerMessageDeflate.negotiate(headers(PerMessageDeflate.HEADER)) : null;
        EdgeWebSocket socket = runtime.newSocket(zone, settings, webSocketUrl(), webSocketOrigin(), protocol,
                settings.idleTimeout(), deflate, remoteAddress);
        synchronized (exchange) {
            exchange.upgrade = new WebSocketUpgrade(Response.status(101), socket);
        }
        return socket;
    }

    /** The upgrade the script asked for (or a Pull Zone's), or {@code null}. */
    WebSocketUpgrade upgrade() {
        synchronized (exchange) {
            return exchange.upgrade;
        }
    }

    @Override
    public Request withHeader(String name, String value) {
        Response.status(200).withHeader(name, value); // the same rules as a response's headers
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        copy.put(name, List.of(value));
        return new EdgeRequest(this, Collections.unmodifiableMap(copy));
    }

    @Override
    public Request withoutHeader(String name) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        copy.remove(name);
        return new EdgeRequest(this, Collections.unmodifiableMap(copy));
    }

    @Override
    public CompletionStage<Response> forwardToOrigin() {
        synchronized (exchange) {
            if (zone.origin() == null || exchange.origins == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("Zone '" + zone.name() + "' has no "
                        + "origin to forward to: set edgesocket.zones.\"" + zone.name() + "\".origin.url."));
            }
            if (exchange.forwarded) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "This request was already forwarded to the origin; a request is forwarded once."));
            }
            if (exchange.upgrade != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "upgradeWebSocket() was called for this request; it cannot also go to the origin."));
            }
            exchange.forwarded = true;
        }
        return exchange.origins.forward(this, zone.origin());
    }

    /** What a browser reports as a message's origin: the socket URL's scheme and authority. */
    private String webSocketOrigin() {
        return (secure ? "wss://" : "ws://") + host;
    }

    private String webSocketUrl() {
        if (url.startsWith("https:")) {
            return "wss:" + url.substring("https:".length());
        }
        if (url.startsWith("http:")) {
            return "ws:" + url.substring("http:".length());
        }
        return url;
    }
}
