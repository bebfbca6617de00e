package dev.edgesocket.heartbeat;

import io.netty.channel.EventLoop;

/** What the heartbeat needs of a socket; implemented by the runtime's socket. */
public interface Monitored {

    /** The socket's event loop: every liveness check of the socket runs there. */
    EventLoop eventLoop();

    /** True while the socket is open (not closing, not closed). */
    boolean isOpen();

    /** True while messages the client sent still wait for the script's listeners: the client is not idle. */
    boolean hasBacklog();

    /** Writes a ping frame. */
    void sendPing();

    /** How long frames queued for the client have waited with no byte written (0: nothing waits). */
    long outboundStalledNanos(long nowNanos);

    /** Nothing queued for the client was written for its stall timeout: it does not read. Fail it (1008). */
    void outboundStalled(long stalledMillis);

    /** No pong came in time: fail the connection with 1001 and drop it at once. */
    void pongTimedOut(long waitedMillis);

    /** No text or binary message for max-idle: close with 1001. */
    void dataIdle(long idleMillis);
}
