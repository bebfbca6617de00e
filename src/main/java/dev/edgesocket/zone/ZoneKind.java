package dev.edgesocket.zone;

/** What a zone is, from its {@code script} and {@code origin.url}. */
public enum ZoneKind {
    /** A script and no origin: the script answers every request itself. */
    STANDALONE,
    /** An origin and no script: every request, WebSocket upgrades included, goes to the origin. */
    PULL_ZONE,
    /** A script in front of an origin: it sees each request before the origin and each response after it. */
    MIDDLEWARE
}
