package dev.edgesocket.api;

/**
 * What dispatches events to listeners, as in the DOM: a {@link WebSocket} or a {@link BroadcastChannel}.
 * {@link Event#target()} names it.
 */
public interface EventTarget {
}
