package dev.edgesocket.zone;

/**
 * What other parts of the server (channels, for one) need of an open socket to tie their objects to it: a
 * place in the socket's order of events, and a call when it closes. The runtime's sockets implement it.
 */
public interface SocketScope {

    /**
     * Runs {@code task} in the socket's turn: after the events queued before it, never at the same time as the
     * socket's listeners, on the zone's dispatch (the worker pool or the socket's event loop); always queued,
     * never run nested inside the caller.
     *
     * @return false, without running it, when the socket is not open (still connecting, or closed)
     */
    boolean runInTurn(Runnable task);

    /**
     * Runs {@code action} once when the socket has closed, after its {@code "close"} listeners (at once, on this
     * thread, when that is past). It must be quick and must not block.
     */
    void whenClosed(Runnable action);
}
