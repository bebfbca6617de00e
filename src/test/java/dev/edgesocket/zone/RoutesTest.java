package dev.edgesocket.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.edgesocket.config.EdgesocketConfig.Dispatch;

/** Which zone a host and path reach: the rules of docs/origins.md, as a table. */
class RoutesTest {

    private static Zone zone(String name, String path, String... hosts) {
        return new Zone(name, List.of(hosts), path, request -> null, Dispatch.WORKER, null);
    }

    private static String name(Routes routes, String host, String path) {
        Zone zone = routes.find(host, path);
        return zone == null ? null : zone.name();
    }

    @Test
    void anExactHostBeatsAWildcardWhichBeatsAnyHost() {
        Routes routes = Routes.of(List.of(zone("any", "/*"), zone("wild", "/*", "*.example.com"),
                zone("exact", "/*", "api.example.com"), zone("deeper", "/*", "*.eu.example.com")));
        assertEquals("exact", name(routes, "api.example.com", "/x"));
        assertEquals("exact", name(routes, "API.Example.COM:8443", "/x"), "case and port do not matter");
        assertEquals("wild", name(routes, "www.example.com", "/x"));
        assertEquals("deeper", name(routes, "a.eu.example.com", "/x"), "a longer wildcard is more specific");
        assertEquals("wild", name(routes, "a.b.example.com", "/x"), "a wildcard covers any depth");
        assertEquals("any", name(routes, "example.com", "/x"), "*.example.com is not example.com itself");
        assertEquals("any", name(routes, "other.org", "/x"));
        assertEquals("any", name(routes, null, "/x"), "no Host: only zones for any host");
        assertEquals("any", name(routes, "[::1]:8080", "/x"));
    }

    @Test
    void forTheSameHostAnExactPathBeatsAPrefixAndALongerPrefixAShorterOne() {
        Routes routes = Routes.of(List.of(zone("root", "/*"), zone("app", "/app/*"), zone("deep", "/app/deep/*"),
                zone("exact", "/app/deep/exact")));
        assertEquals("exact", name(routes, "h", "/app/deep/exact"));
        assertEquals("deep", name(routes, "h", "/app/deep/exact/more"));
        assertEquals("deep", name(routes, "h", "/app/deep"));
        assertEquals("app", name(routes, "h", "/app"), "/app/* matches /app itself");
        assertEquals("app", name(routes, "h", "/app/x"));
        assertEquals("root", name(routes, "h", "/apple"), "/app/* is not /apple");
        assertEquals("root", name(routes, "h", "/"));
    }

    @Test
    void theHostComesBeforeThePath() {
        Routes routes = Routes.of(List.of(zone("exact-path-any-host", "/ws"), zone("site", "/*", "example.com")));
        assertEquals("site", name(routes, "example.com", "/ws"), "a host match before any host, then the path");
        assertEquals("exact-path-any-host", name(routes, "other.com", "/ws"));
        assertNull(name(routes, "other.com", "/elsewhere"));
    }

    @Test
    void theServersOwnPathsComeFirstExceptOnAZonesHosts() {
        Routes routes = Routes.of(List.of(zone("everything", "/*"), zone("site", "/*", "example.com")));
        for (String path : List.of("/q/health", "/q", "/api/zones", "/console", "/console/app.js", "/_edgesocket/upgrade")) {
            assertNull(name(routes, "other.com", path), path + " stays the server's on any other host");
            assertEquals("site", name(routes, "example.com", path), "a zone with hosts owns " + path);
        }
        assertEquals("everything", name(routes, "other.com", "/consoles"));
        assertEquals("everything", name(routes, "other.com", "/apis"));
        assertEquals(List.of("/q/*", "/api/*", "/console*", "/_edgesocket/*"),
                Routes.serverPathsShadowing(zone("everything", "/*")));
        assertEquals(List.of("/api/*"), Routes.serverPathsShadowing(zone("api", "/api/*")));
        assertEquals(List.of(), Routes.serverPathsShadowing(zone("site", "/*", "example.com")));
        assertEquals(List.of(), Routes.serverPathsShadowing(zone("echo", "/echo")));
    }

    @Test
    void twoZonesClaimingTheSameHostAndPathStopTheStart() {
        IllegalStateException sameAny = assertThrows(IllegalStateException.class,
                () -> Routes.of(List.of(zone("a", "/echo"), zone("b", "/echo"))));
        assertEquals("Zones 'a' and 'b' both claim the path /echo on any host: give one of them other hosts or "
                + "another path.", sameAny.getMessage());
        IllegalStateException sameHost = assertThrows(IllegalStateException.class,
                () -> Routes.of(List.of(zone("a", "/*", "x.com", "y.com"), zone("b", "/*", "Y.com"))));
        assertEquals("Zones 'a' and 'b' both claim /* on y.com: give one of them other hosts or another path.",
                sameHost.getMessage());
        // The same path on other hosts, or another kind of path, is no conflict.
        Routes.of(List.of(zone("a", "/echo", "x.com"), zone("b", "/echo", "y.com"), zone("c", "/echo"),
                zone("d", "/echo/*")));
    }

    @Test
    void malformedHostsAndPathsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalStateException.class, () -> Routes.of(List.of(zone("z", "echo"))))
                .getMessage().startsWith("edgesocket.zones.\"z\".path must start with '/'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Routes.of(List.of(zone("z", "/a*b"))))
                .getMessage().contains("only as a trailing '/*'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Routes.of(List.of(zone("z", "/*", "x.com:8080"))))
                .getMessage().startsWith("edgesocket.zones.\"z\".hosts: 'x.com:8080' is not a host name"));
        assertTrue(assertThrows(IllegalStateException.class, () -> Routes.of(List.of(zone("z", "/*", "a.*.com"))))
                .getMessage().contains("is not a host name or *.name"));
    }
}
