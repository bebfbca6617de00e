package dev.edgesocket.origin;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpVersion;

/**
 * The header rules of a proxy (RFC 9110 7.6): hop-by-hop fields, and those the {@code Connection} field names,
 * stay on their own connection; every forwarded message gets our {@code Via}.
 */
final class HopByHop {

    /** Fields that describe one connection, never forwarded. */
    private static final Set<String> FIELDS = Set.of("connection", "proxy-connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "host");

    /** What we add to {@code Via}: the protocol we received and our name. */
    static final String PSEUDONYM = "edgesocket";

    private HopByHop() {
    }

    /**
     * Copies the end-to-end fields of {@code from} into {@code to}: every field but the hop-by-hop ones, those the
     * {@code Connection} field lists, and {@code Host} (each side sets its own).
     */
    static void copyEndToEnd(MultiMap from, MultiMap to) {
        Set<String> skip = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String connection : from.getAll("Connection")) {
            for (String token : connection.split(",")) {
                if (!token.isBlank()) {
                    skip.add(token.trim());
                }
            }
        }
        from.forEach(field -> {
            String name = field.getKey();
            if (!FIELDS.contains(name.toLowerCase(Locale.ROOT)) && !skip.contains(name)) {
                to.add(name, field.getValue());
            }
        });
    }

    /** The {@code Via} entry for a message received in {@code version}. */
    static String via(HttpVersion version) {
        String protocol = switch (version) {
            case HTTP_1_0 -> "1.0";
            case HTTP_1_1 -> "1.1";
            case HTTP_2 -> "2";
        };
        return protocol + " " + PSEUDONYM;
    }

    /** Appends our {@code Via} entry to the message's own. */
    static void addVia(MultiMap headers, HttpVersion received) {
        String existing = String.join(", ", headers.getAll("Via"));
        headers.set("Via", existing.isEmpty() ? via(received) : existing + ", " + via(received));
    }
}
