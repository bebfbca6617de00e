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
    private Map<String, List<String>> queryParams;
    // The zone place an upgrade request took before the script ran, until it goes back or to the socket.
    private final Place place;
    private WebSocketUpgrade upgrade;

    private EdgeRequest(RoutingContext rc, Zone zone, SocketRuntime runtime, Place place) {
        this.place = place;
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

    private static final String HEADER_PROTOCOL = "Sec-WebSocket-Protocol";

    static EdgeRequest from(RoutingContext rc, Zone zone, SocketRuntime runtime, Place place) {
        return new EdgeRequest(rc, zone, runtime, place);
    }

    /** Gives back the zone place this request took, if it still holds it; true when it did. */
    boolean releasePlaceIfHeld() {
        return place.release();
    }

    /** The approved socket takes over the zone place; it gives it back when it closes. */
    void handPlaceTo(EdgeWebSocket socket) {
        socket.holdPlace(place.transfer());
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
    public synchronized WebSocketUpgrade upgradeWebSocket(UpgradeOptions options) {
        if (upgrade != null) {
            throw new IllegalStateException("upgradeWebSocket() was already called for this request.");
        }
        UpgradeOptions opts = options == null ? UpgradeOptions.defaults() : options;
        HandshakeCheck.check(this);
        String protocol = SubprotocolNegotiation.choose(opts.protocol(), protocols, settings.subprotocols(), zone.name());
        Duration idleTimeout = opts.idleTimeout() != null ? Duration.ofSeconds(opts.idleTimeout()) : settings.idleTimeout();
        PerMessageDeflate.Agreement deflate = settings.compression()
                ? PerMessageDeflate.negotiate(headers(PerMessageDeflate.HEADER)) : null;
        EdgeWebSocket socket = runtime.newSocket(zone, settings, webSocketUrl(), webSocketOrigin(), protocol,
                idleTimeout, deflate, remoteAddress);
        upgrade = new WebSocketUpgrade(Response.status(101), socket);
        return upgrade;
    }

    /**
     * The client's socket of a Pull Zone, whose origin accepted the upgrade with {@code protocol}: the zone's
     * settings and compression, the origin's choice of subprotocol. The handshake was checked before the origin
     * was dialed ({@link HandshakeCheck#check}).
     */
    synchronized EdgeWebSocket upgradeForOrigin(String protocol) {
        PerMessageDeflate.Agreement deflate = settings.compression()
                ? PerMessageDeflate.negotiate(headers(PerMessageDeflate.HEADER)) : null;
        EdgeWebSocket socket = runtime.newSocket(zone, settings, webSocketUrl(), webSocketOrigin(), protocol,
                settings.idleTimeout(), deflate, remoteAddress);
        upgrade = new WebSocketUpgrade(Response.status(101), socket);
        return socket;
    }

    /** The upgrade the script asked for, or {@code null}. */
    synchronized WebSocketUpgrade upgrade() {
        return upgrade;
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
