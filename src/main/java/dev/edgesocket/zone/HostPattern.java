package dev.edgesocket.zone;

import java.util.Locale;

/**
 * One entry of a zone's {@code hosts}: an exact name ({@code api.example.com}), a wildcard ({@code *.example.com},
 * any name below {@code example.com}, at any depth, but not {@code example.com} itself), or any host (a zone
 * without {@code hosts}). The port is not part of the match.
 */
record HostPattern(String text, String name, boolean wildcard) {

    static final HostPattern ANY = new HostPattern("*", "", true);

    /** The pattern of a {@code hosts} entry, or an exception whose message says what is wrong with it. */
    static HostPattern parse(String entry) {
        String text = entry.trim().toLowerCase(Locale.ROOT);
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        boolean wildcard = text.startsWith("*.");
        String name = wildcard ? text.substring(2) : text;
        if (name.isEmpty() || name.contains("*") || name.contains(":") || name.contains("/") || name.startsWith(".")
                || name.contains("..") || name.contains(" ")) {
            throw new IllegalArgumentException("'" + entry + "' is not a host name or *.name (no port, no path)");
        }
        return new HostPattern(text, name, wildcard);
    }

    boolean any() {
        return this == ANY;
    }

    /** Whether a request's host (already {@link #normalize normalized}) matches. */
    boolean matches(String host) {
        if (any()) {
            return true;
        }
        if (!wildcard) {
            return host.equals(name);
        }
        return host.length() > name.length() + 1 && host.endsWith(name) && host.charAt(host.length() - name.length() - 1) == '.';
    }

    /** Exact names first, then wildcards by the length of their suffix (longer is more specific), then any host. */
    long rank() {
        if (any()) {
            return 0;
        }
        return wildcard ? 1 + name.length() : Integer.MAX_VALUE;
    }

    /**
     * A request's Host (or HTTP/2 {@code :authority}) as it is matched: lower case, without the port and a trailing
     * dot; {@code [v6]} stays bracketed. Null or blank gives "", which only zones for any host match.
     */
    static String normalize(String authority) {
        if (authority == null || authority.isBlank()) {
            return "";
        }
        String host = authority.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
