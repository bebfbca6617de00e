package dev.edgesocket.zone;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import dev.edgesocket.config.EdgesocketConfig.OriginConfig;

/**
 * A zone's origin, the server behind it: its base URL (whose path is a prefix of every forwarded path), timeouts,
 * which Host it is sent, and how its certificate is checked. Immutable; a change swaps the whole object.
 */
public record OriginSettings(URI url, Duration connectTimeout, Duration responseTimeout, boolean forwardHostHeader,
        Optional<String> trustStore, boolean insecure) {

    /** The zone's origin from configuration, or null when it has none; a malformed URL stops the start. */
    public static OriginSettings from(String zone, OriginConfig config) {
        if (config.url().isEmpty() || config.url().get().isBlank()) {
            return null;
        }
        URI url;
        try {
            url = parse(config.url().get());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("edgesocket.zones.\"" + zone + "\".origin.url: " + e.getMessage() + ".");
        }
        return new OriginSettings(url, config.connectTimeout(), config.responseTimeout(), config.forwardHostHeader(),
                config.tls().trustStore().filter(s -> !s.isBlank()), config.tls().insecure());
    }

    /** An origin URL: http or https, a host, an optional port and base path, no query or fragment. */
    public static URI parse(String text) {
        URI url;
        try {
            url = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not a URL");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("'" + text + "' must be an http:// or https:// URL");
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + text + "' names no host");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + text + "' may hold a scheme, a host, a port and a path only");
        }
        return url;
    }

    public boolean secure() {
        return url.getScheme().equalsIgnoreCase("https");
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        return url.getPort() > 0 ? url.getPort() : secure() ? 443 : 80;
    }

    /** The Host header the origin gets by default: its own host, with the port when it is not the scheme's. */
    public String authority() {
        return url.getPort() > 0 && url.getPort() != (secure() ? 443 : 80) ? url.getHost() + ":" + url.getPort()
                : url.getHost();
    }

    /**
     * The request target at the origin for a client's raw path and query: the origin's path is a prefix
     * ({@code /a/b} to {@code http://o:8080/base} goes to {@code /base/a/b}).
     */
    public String target(String clientUri) {
        String base = url.getRawPath() == null ? "" : url.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String uri = clientUri == null || clientUri.isEmpty() ? "/" : clientUri;
        return base + (uri.startsWith("/") ? uri : "/" + uri);
    }

    /**
     * True when a raw path holds a {@code .} or {@code ..} segment, plain or percent-encoded: the zone was chosen by
     * the path as sent, and an origin that resolved the segments would serve another one (another zone's, or above
     * the origin URL's base path).
     */
    public static boolean hasDotSegment(String rawPath) {
        if (rawPath == null || rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
            return false;
        }
        for (String segment : rawPath.split("/", -1)) {
            String plain = segment.replace("%2e", ".").replace("%2E", ".");
            if (plain.equals(".") || plain.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
