package dev.edgesocket.api;

/**
 * Options of {@code addEventListener}, as the DOM's {@code {once}}.
 *
 * @param once remove the listener after it ran once
 */
public record ListenerOptions(boolean once) {

    public static final ListenerOptions ONCE = new ListenerOptions(true);
    public static final ListenerOptions DEFAULT = new ListenerOptions(false);
}
