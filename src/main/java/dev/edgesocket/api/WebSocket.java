package dev.edgesocket.api;

import java.nio.ByteBuffer;

/**
 * The server side of a WebSocket, as Bunny's (and Deno's) scripts see it.
 * <p>
 * All methods are safe to call from any thread and never block. Events of one socket are delivered
 * in order and never two at once.
 */
public interface WebSocket extends EventTarget {

    /** Sends a text frame. Throws {@link IllegalStateException} while {@code CONNECTING}; dropped once closing. */
    void send(String data);

    /** Sends a copy of {@code data} as a binary frame. */
    void send(byte[] data);

    /** Sends {@code length} bytes from {@code offset} as a binary frame (the ArrayBufferView case). */
    void send(byte[] data, int offset, int length);

    /** Sends the remaining bytes of {@code data} as a binary frame; the buffer's position is not changed. */
    void send(ByteBuffer data);

    /** Sends the blob's bytes as a binary frame. */
    void send(Blob data);

    /** Closes with 1000 and no reason. */
    void close();

    /** Closes with {@code code} and no reason. */
    void close(int code);

    /**
     * Starts the closing handshake. Messages sent before are delivered before the close frame;
     * closing twice is harmless.
     *
     * @throws IllegalArgumentException for a code RFC 6455 does not let an endpoint send (valid:
     *                                  1000-1003, 1007-1014, 3000-4999) or a reason over 123 UTF-8 bytes
     */
    void close(int code, String reason);

    ReadyState readyState();

    /** The negotiated subprotocol, or {@code ""}. */
    String protocol();

    /** The URL the client connected to, with the {@code ws:} or {@code wss:} scheme. */
    String url();

    /** Bytes passed to {@code send} and not yet written to the network. */
    long bufferedAmount();

    /**
     * True once {@link #bufferedAmount()} has reached half the zone's {@code max-buffered-amount}: the
     * client reads more slowly than the script sends. Stop sending and resume on the {@code "drain"}
     * event ({@link EventType#DRAIN}); a socket that goes on past the whole bound is closed with 1008.
     */
    boolean writeQueueFull();

    /** An identifier of this socket, unique in this process (used by the admin API). */
    String id();

    <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener);

    <E extends Event> void addEventListener(EventType<E> type, EventListener<? super E> listener, ListenerOptions options);

    /** The doc's form: {@code "open"}, {@code "message"}, {@code "close"} or {@code "error"}; others throw. */
    void addEventListener(String type, EventListener<? super Event> listener);

    void addEventListener(String type, EventListener<? super Event> listener, ListenerOptions options);

    <E extends Event> void removeEventListener(EventType<E> type, EventListener<? super E> listener);

    void removeEventListener(String type, EventListener<? super Event> listener);
}
