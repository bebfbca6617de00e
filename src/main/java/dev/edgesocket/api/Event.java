package dev.edgesocket.api;

/** An event a socket dispatches to its listeners. */
public sealed interface Event permits OpenEvent, MessageEvent, CloseEvent, ErrorEvent, DrainEvent {

    /** The doc's type string: {@code "open"}, {@code "message"}, {@code "close"}, {@code "error"} or {@code "drain"}. */
    String type();

    /** The socket that dispatched the event. */
    WebSocket target();
}
