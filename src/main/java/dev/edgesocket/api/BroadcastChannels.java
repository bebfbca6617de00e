package dev.edgesocket.api;

/**
 * Opens {@link BroadcastChannel}s; inject it ({@code @Inject BroadcastChannels channels}).
 * <p>
 * Names are 1 to 200 characters: letters, digits and {@code . _ - : @ ~ + = #}, e.g. {@code room:42}.
 */
public interface BroadcastChannels {

    /**
     * A channel object not tied to a socket, for a backend bean: its listeners run on the worker pool. Close it
     * when done.
     *
     * @throws IllegalArgumentException for a name that is not valid (the message says why)
     * @throws IllegalStateException    when this server already holds {@code edgesocket.channels.max-open} objects
     */
    BroadcastChannel open(String name);

    /**
     * A channel object that lives as long as {@code socket}: its listeners run in the socket's turn (never at
     * the same time as the socket's own listeners), and it is closed when the socket closes, after the
     * socket's {@code "close"} listeners. Messages that arrive before the socket is open are not delivered to
     * it. For a socket that has already closed, the channel comes back closed.
     *
     * @throws IllegalArgumentException for a name that is not valid, or a socket this server did not open
     * @throws IllegalStateException    past {@code max-open}
     */
    BroadcastChannel open(String name, WebSocket socket);
}
