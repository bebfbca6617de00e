package dev.edgesocket.vertx;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Every use of Vert.x's internal types, in one place: a Vert.x upgrade that moves them touches this file only.
 * We need two things Vert.x's public API does not give: a connection's Netty channel (our frame path and the
 * header deadline sit in its pipeline) and a context's Netty event loop (a JS zone's timers).
 */
public final class VertxInternals {

    private VertxInternals() {
    }

    /** The Netty channel under an HTTP connection. */
    public static Channel channel(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }

    /** The Netty event loop of an event-loop context, or null for any other context. */
    public static EventLoop eventLoop(Context context) {
        if (context instanceof ContextInternal internal && context.isEventLoopContext()) {
            return internal.nettyEventLoop();
        }
        return null;
    }
}
