package dev.edgesocket.zone;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which zone a request belongs to, by host and then path: an exact host beats {@code *.example.com}, which beats a
 * zone for any host; for the same host, an exact path beats a prefix and a longer prefix a shorter one. A zone with
 * {@code hosts} owns every path of those hosts; on any other host the server's own paths ({@code /q/*},
 * {@code /api/*}, {@code /console*}, {@code /_edgesocket/*}) come before zones.
 */
public final class Routes {

    /** The paths the server answers itself unless a zone with hosts owns the request's host. */
    static final List<PathPattern> SERVER_PATHS = List.of(PathPattern.parse("/q/*"), PathPattern.parse("/api/*"),
            PathPattern.parse("/_edgesocket/*"));

    private record Route(Zone zone, HostPattern host, PathPattern path) {
    }

    // Most specific first: a request takes the first route whose host and path both match.
    private final List<Route> routes;

    private Routes(List<Route> routes) {
        this.routes = routes;
    }

    /**
     * The routes of these zones; an exception, whose message is a sentence, when two zones claim the same host
     * and path, or a host or path is malformed.
     */
    public static Routes of(List<Zone> zones) {
        List<Route> routes = new ArrayList<>();
        Map<String, Zone> claimed = new HashMap<>();
        for (Zone zone : zones) {
            PathPattern path;
            try {
                path = PathPattern.parse(zone.path());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("edgesocket.zones.\"" + zone.name() + "\".path " + e.getMessage() + ".");
            }
            List<HostPattern> hosts = new ArrayList<>();
            for (String entry : zone.hosts()) {
                try {
                    hosts.add(HostPattern.parse(entry));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("edgesocket.zones.\"" + zone.name() + "\".hosts: " + e.getMessage() + ".");
                }
            }
            if (hosts.isEmpty()) {
                hosts.add(HostPattern.ANY);
            }
            for (HostPattern host : hosts) {
                Zone other = claimed.putIfAbsent(host.text() + " " + path.text(), zone);
                if (other != null && other != zone) {
                    throw new IllegalStateException("Zones '" + other.name() + "' and '" + zone.name() + "' both claim "
                            + (host.any() ? "the path " + path.text() + " on any host" : path.text() + " on " + host.text())
                            + ": give one of them other hosts or another path.");
                }
                routes.add(new Route(zone, host, path));
            }
        }
        routes.sort(Comparator.comparingLong((Route r) -> r.host().rank()).reversed()
                .thenComparing(Comparator.comparingInt((Route r) -> r.path().rank()).reversed()));
        return new Routes(List.copyOf(routes));
    }

    /**
     * The zone for a request, or null when none matches or the path is the server's own on a host no zone owns.
     * {@code authority} is the Host header as sent (port and case do not matter).
     */
    public Zone find(String authority, String path) {
        String host = HostPattern.normalize(authority);
        for (Route route : routes) {
            if (route.host().matches(host) && route.path().matches(path)) {
                if (route.host().any() && isServerPath(path)) {
                    return null;
                }
                return route.zone();
            }
        }
        return null;
    }

    /** The server's own paths: {@code /q/*}, {@code /api/*}, {@code /_edgesocket/*} and the console's. */
    static boolean isServerPath(String path) {
        if (path.equals("/console") || path.startsWith("/console/") || path.startsWith("/console.")) {
            return true;
        }
        for (PathPattern server : SERVER_PATHS) {
            if (server.matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * For the start-up log: the server's paths that a zone for any host would cover but leaves to the server, or
     * an empty list.
     */
    static List<String> serverPathsShadowing(Zone zone) {
        if (!zone.hosts().isEmpty()) {
            return List.of();
        }
        PathPattern path = PathPattern.parse(zone.path());
        List<String> kept = new ArrayList<>();
        for (String server : List.of("/q/*", "/api/*", "/console*", "/_edgesocket/*")) {
            String probe = server.replace("*", "x").replace("/consolex", "/console");
            if (path.matches(probe)) {
                kept.add(server);
            }
        }
        return kept;
    }
}
