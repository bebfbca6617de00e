package dev.edgesocket.zone;

/** How a WebSocket upgrade request to a zone ended; the values of the meters' {@code outcome} tag. */
public enum UpgradeOutcome {
    /** The socket opened. */
    ACCEPTED,
    /** The zone's WebSocket toggle is off (403). */
    REFUSED_DISABLED,
    /** The zone is at {@code max-connections} (503). */
    REFUSED_LIMIT,
    /** The Origin header is missing or not allowed (403). */
    REFUSED_ORIGIN,
    /** The server holds more queued bytes than its budget (503). */
    REFUSED_BUDGET,
    /** The script answered with something else than the upgrade, failed, or did not answer in time. */
    REJECTED_BY_SCRIPT,
    /** The handshake request was malformed (upgradeWebSocket() refused it). */
    BAD_REQUEST,
    /** A Pull Zone's origin answered the upgrade with something else than 101 (passed to the client). */
    REJECTED_BY_ORIGIN,
    /** A Pull Zone's origin could not be reached or did not answer (502, 504). */
    ORIGIN_FAILED
}
