package dev.edgesocket.zone;

/**
 * A zone's {@code path}: exact ({@code /echo}) or a prefix written with a trailing {@code /*} ({@code /app/*}
 * matches {@code /app} and everything below it, not {@code /apple}; {@code /*} matches every path).
 */
record PathPattern(String text, String base, boolean prefix) {

    /** The pattern of a zone's {@code path}, or an exception whose message says what is wrong with it. */
    static PathPattern parse(String path) {
        if (path == null || !path.startsWith("/")) {
            throw new IllegalArgumentException("must start with '/', got '" + path + "'");
        }
        boolean prefix = path.endsWith("/*");
        String base = prefix ? path.substring(0, path.length() - 2) : path;
        if (base.contains("*")) {
            throw new IllegalArgumentException("'" + path + "' may hold '*' only as a trailing '/*' (a prefix such as /app/*)");
        }
        if (base.contains("?") || base.contains("#")) {
            throw new IllegalArgumentException("'" + path + "' is a path: no query or fragment");
        }
        return new PathPattern(path, base, prefix);
    }

    boolean matches(String requestPath) {
        if (!prefix) {
            return requestPath.equals(base);
        }
        return base.isEmpty() || requestPath.equals(base)
                || requestPath.startsWith(base) && requestPath.charAt(base.length()) == '/';
    }

    /** For the same host: an exact path beats any prefix, and a longer prefix a shorter one. */
    int rank() {
        return prefix ? base.length() : Integer.MAX_VALUE;
    }
}
