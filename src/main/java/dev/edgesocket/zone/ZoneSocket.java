package dev.edgesocket.zone;

/** An open socket as its zone and the admin API see it. */
public interface ZoneSocket {

    /** The socket's place in its zone's order of opening; the admin API pages by it. */
    long sequence();

    String id();

    /** A snapshot for the admin API. */
    SessionInfo info();

    /** Closes the socket as {@code WebSocket.close(code, reason)} does (validated the same way). */
    void close(int code, String reason);
}
