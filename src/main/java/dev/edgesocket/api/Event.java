package dev.edgesocket.api;

/** An event a socket (or, for {@code "message"}, a {@link BroadcastChannel}) dispatches to its listeners. */
public sealed interface Event permits OpenEvent, MessageEvent, CloseEvent, ErrorEvent, DrainEvent {

    /** The doc's type string: {@code "open"}, {@code "message"}, {@code "close"}, {@code "error"} or {@code "drain"}. */
    String type();

    /** What dispatched the event: the socket, or the channel for a channel's message. */
    EventTarget target();
}
