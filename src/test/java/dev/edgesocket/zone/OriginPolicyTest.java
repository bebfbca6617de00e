package dev.edgesocket.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * {@link OriginPolicy} without a server: which entries are origins, and which Origin headers an allowlist admits.
 * Whether a request without an Origin header may upgrade is the zone's {@code requireOrigin} (asked by the
 * request filter before the list); {@link OriginTest} checks both through real upgrades.
 */
class OriginPolicyTest {

    @Test
    void entriesThatAreOrigins() {
        assertNull(OriginPolicy.problem("*"));
        assertNull(OriginPolicy.problem("https://app.example.com"));
        assertNull(OriginPolicy.problem("http://localhost:8080"));
        assertNull(OriginPolicy.problem("https://*.example.com"));
        assertNull(OriginPolicy.problem("https://*.example.com:8443"));
        assertNull(OriginPolicy.problem("HTTPS://APP.EXAMPLE.COM"));
    }

    @Test
    void entriesThatAreNotSayWhy() {
        assertEquals("an allowed origin must not be empty", OriginPolicy.problem(null));
        assertEquals("an allowed origin must not be empty", OriginPolicy.problem(""));
        assertEquals("an allowed origin must not be empty", OriginPolicy.problem("  "));
        assertEquals("'app.example.com' is not an origin such as https://app.example.com or https://*.example.com",
                OriginPolicy.problem("app.example.com"));
        assertEquals("'://app.example.com' is not an origin such as https://app.example.com or https://*.example.com",
                OriginPolicy.problem("://app.example.com"));
        String hostOnly = " must be a scheme and a host (and port) only, such as https://app.example.com";
        assertEquals("'https://'" + hostOnly, OriginPolicy.problem("https://"));
        assertEquals("'https://app.example.com/'" + hostOnly, OriginPolicy.problem("https://app.example.com/"));
        assertEquals("'https://app.example.com?x=1'" + hostOnly, OriginPolicy.problem("https://app.example.com?x=1"));
        assertEquals("'https://app.example.com#top'" + hostOnly, OriginPolicy.problem("https://app.example.com#top"));
        String star = " may only use * as the first label of its host, such as https://*.example.com";
        assertEquals("'https://*evil*'" + star, OriginPolicy.problem("https://*evil*"));
        assertEquals("'https://*.'" + star, OriginPolicy.problem("https://*."));
        assertEquals("'https://a.*.example.com'" + star, OriginPolicy.problem("https://a.*.example.com"));
        assertEquals("'https://*.*.example.com'" + star, OriginPolicy.problem("https://*.*.example.com"));
        assertEquals("'https://*example.com'" + star, OriginPolicy.problem("https://*example.com"));
    }

    @Test
    void noEntriesAdmitEveryOrigin() {
        assertTrue(OriginPolicy.allows(List.of(), "https://anything.example"));
        assertTrue(OriginPolicy.allows(List.of(), "null"));
        assertTrue(OriginPolicy.allows(List.of(), null), "without a list the header is not even read");
    }

    @Test
    void exactOriginsMatchWholeSchemeHostAndPort() {
        List<String> allowed = List.of("https://app.example.com", "http://localhost:8080");
        assertTrue(OriginPolicy.allows(allowed, "https://app.example.com"));
        assertTrue(OriginPolicy.allows(allowed, "http://localhost:8080"));
        assertFalse(OriginPolicy.allows(allowed, "http://app.example.com"), "the scheme counts");
        assertFalse(OriginPolicy.allows(allowed, "https://app.example.com:8443"), "the port counts");
        assertFalse(OriginPolicy.allows(allowed, "http://localhost"), "the port counts");
        assertFalse(OriginPolicy.allows(allowed, "https://app.example.com.evil.net"));
        assertFalse(OriginPolicy.allows(allowed, "https://evil.app.example.com"), "an exact entry admits no subdomain");
        assertFalse(OriginPolicy.allows(allowed, "null"), "an opaque origin is no listed origin");
        assertFalse(OriginPolicy.allows(allowed, ""));
    }

    @Test
    void originsCompareCaseInsensitivelyAndTrimmed() {
        assertTrue(OriginPolicy.allows(List.of("https://app.example.com"), "HTTPS://App.Example.COM"));
        assertTrue(OriginPolicy.allows(List.of("HTTPS://APP.EXAMPLE.COM"), "https://app.example.com"));
        assertTrue(OriginPolicy.allows(List.of("https://*.Example.com"), "https://CHAT.example.COM"));
        assertTrue(OriginPolicy.allows(List.of("https://app.example.com"), " https://app.example.com "));
    }

    @Test
    void aWildcardAdmitsSubdomainsNotTheApex() {
        List<String> allowed = List.of("https://*.example.com");
        assertTrue(OriginPolicy.allows(allowed, "https://chat.example.com"));
        assertTrue(OriginPolicy.allows(allowed, "https://a.b.example.com"), "any depth");
        assertFalse(OriginPolicy.allows(allowed, "https://example.com"), "not the apex");
        assertFalse(OriginPolicy.allows(allowed, "https://.example.com"), "an empty label is no subdomain");
        assertFalse(OriginPolicy.allows(allowed, "https://evilexample.com"), "the dot before the domain counts");
        assertFalse(OriginPolicy.allows(allowed, "http://chat.example.com"), "the scheme counts");
        assertFalse(OriginPolicy.allows(allowed, "https://chat.example.com:8443"), "the port counts");
        assertFalse(OriginPolicy.allows(allowed, "https://chat.example.com.evil.net"));
    }

    @Test
    void aWildcardWithAPortAdmitsThatPortOnly() {
        List<String> allowed = List.of("https://*.example.com:8443");
        assertTrue(OriginPolicy.allows(allowed, "https://chat.example.com:8443"));
        assertFalse(OriginPolicy.allows(allowed, "https://chat.example.com"));
        assertFalse(OriginPolicy.allows(allowed, "https://chat.example.com:9443"));
    }

    @Test
    void aStarAdmitsAnyOriginAmongOthers() {
        List<String> allowed = List.of("https://app.example.com", "*");
        assertTrue(OriginPolicy.allows(allowed, "https://anything.example"));
        assertTrue(OriginPolicy.allows(allowed, "null"));
    }
}
