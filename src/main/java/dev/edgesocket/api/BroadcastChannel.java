package dev.edgesocket.api;

/**
 * A named channel, shaped after the HTML standard's {@code BroadcastChannel} (and Deno Deploy's): a message
 * posted on one channel object reaches every other open channel object of the same name, on this server and,
 * in cluster mode, on every other server. The object that posts does not receive its own message.
 * <p>
 * Delivery is at most once and in order per publisher: a message is lost, never repeated, when a listener
 * falls too far behind or when Redis cannot be reached (in which case this server's own channel objects still
 * receive it). Listeners of one channel object run one at a time, in order; a channel opened for a socket
 * runs them in that socket's turn (worker pool or event loop, following the zone's dispatch).
 * <p>
 * Every method is safe to call from any thread and never blocks.
 */
public interface BroadcastChannel extends EventTarget {

    /** The channel's name. */
    String name();

    /**
     * Delivers a text message to every other open channel object of this name.
     *
     * @throws IllegalStateException    once this channel object is closed
     * @throws IllegalArgumentException past {@code edgesocket.channels.max-message-size} UTF-8 bytes
     */
    void postMessage(String message);

    /**
     * Delivers a copy of these bytes as a binary message (receivers share that one copy and must not change it).
     *
     * @throws IllegalStateException    once this channel object is closed
     * @throws IllegalArgumentException past {@code edgesocket.channels.max-message-size} bytes
     */
    void postMessage(byte[] message);

    /**
     * Adds a listener of {@code "message"}: it gets a {@link MessageEvent} whose {@code data} is a
     * {@link String} or a {@code byte[]} and whose {@code target} is this channel object. Adding the same
     * listener twice is a no-op.
     *
     * @throws IllegalArgumentException for any type but {@code "message"}
     */
    void addEventListener(String type, EventListener<? super MessageEvent> listener);

    /** As {@link #addEventListener(String, EventListener)}; {@link ListenerOptions#ONCE} removes it after one message. */
    void addEventListener(String type, EventListener<? super MessageEvent> listener, ListenerOptions options);

    void removeEventListener(String type, EventListener<? super MessageEvent> listener);

    /** Stops receiving and posting; messages not yet handed to listeners are dropped. Closing twice is harmless. */
    void close();

    boolean isClosed();
}
