package dev.edgesocket.api;

/** A listener of socket events. An exception it throws is logged; the socket and other listeners go on. */
@FunctionalInterface
public interface EventListener<E extends Event> {

    void handleEvent(E event) throws Exception;
}
