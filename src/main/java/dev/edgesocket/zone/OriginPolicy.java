package dev.edgesocket.zone;

import java.util.List;
import java.util.Locale;

/**
 * Which {@code Origin}s may open WebSockets in a zone (cross-site WebSocket hijacking: browsers send
 * cookies with cross-site upgrades). Entries are origins ({@code https://app.example.com},
 * {@code http://localhost:8080}), origins whose host starts with {@code *.} ({@code https://*.example.com}
 * matches any subdomain, not the apex), or {@code *} (any). No entries: any origin, as before.
 */
public final class OriginPolicy {

    private OriginPolicy() {
    }

    /** A sentence saying what is wrong with an entry, or {@code null} when it is one. */
    public static String problem(String entry) {
        if (entry == null || entry.isBlank()) {
            return "an allowed origin must not be empty";
        }
        if (entry.equals("*")) {
            return null;
        }
        int scheme = entry.indexOf("://");
        if (scheme <= 0) {
            return "'" + entry + "' is not an origin such as https://app.example.com or https://*.example.com";
        }
        String host = entry.substring(scheme + 3);
        if (host.isEmpty() || host.contains("/") || host.contains("?") || host.contains("#")) {
            return "'" + entry + "' must be a scheme and a host (and port) only, such as https://app.example.com";
        }
        if (host.indexOf('*') >= 0 && !(host.startsWith("*.") && host.indexOf('*', 1) < 0 && host.length() > 2)) {
            return "'" + entry + "' may only use * as the first label of its host, such as https://*.example.com";
        }
        return null;
    }

    /** True when {@code origin} (the request's Origin header) is allowed by {@code allowed}. */
    public static boolean allows(List<String> allowed, String origin) {
        if (allowed.isEmpty()) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        for (String entry : allowed) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals("*") || e.equals(o)) {
                return true;
            }
            int wildcard = e.indexOf("://*.");
            if (wildcard > 0) {
                String scheme = e.substring(0, wildcard + 3);
                String suffix = e.substring(wildcard + 4); // ".example.com[:port]"
                if (o.startsWith(scheme) && o.endsWith(suffix) && o.length() > scheme.length() + suffix.length()) {
                    return true;
                }
            }
        }
        return false;
    }
}
