package dev.edgesocket.runtime;

import java.util.Set;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers the single Jakarta endpoint all zones share, at an internal path. Quarkus reads this at
 * static init (build time for a native binary), when zone paths are not known yet; the request
 * filter reroutes each upgrade that a script approved to this path, and answers 404 to anyone who
 * asks for it directly.
 */
@RegisterForReflection
public class UpgradeEndpoints implements ServerApplicationConfig {

    public static final String PATH = "/_edgesocket/upgrade";

    /**
     * True for every spelling of {@link #PATH} that Undertow would take for it once it has normalised the path:
     * percent-escapes decoded, repeated slashes, {@code .} and {@code ..} segments and {@code ;parameters}
     * removed, a trailing slash ignored.
     */
    static boolean isInternal(String rawPath) {
        if (rawPath == null || rawPath.indexOf('_') < 0 && rawPath.indexOf('%') < 0) {
            return false; // the common case, at the cost of two scans
        }
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(rawPath.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = rawPath;
        }
        java.util.ArrayDeque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : decoded.split("/")) {
            int semicolon = segment.indexOf(';');
            String s = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
            if (s.isEmpty() || s.equals(".")) {
                continue;
            }
            if (s.equals("..")) {
                segments.pollLast();
            } else {
                segments.addLast(s);
            }
        }
        return segments.size() == 2 && "_edgesocket".equals(segments.peekFirst()) && "upgrade".equals(segments.peekLast());
    }

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of(ServerEndpointConfig.Builder.create(SessionBridge.class, PATH)
                .configurator(new UpgradeConfigurator())
                .build());
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return scanned;
    }
}
