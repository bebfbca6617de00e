package dev.edgesocket.runtime;

import java.util.Map;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;

/**
 * On a listening channel (the HTTP port or the TLS port), first in its pipeline: gives each accepted
 * connection a {@link HeaderDeadline}.
 * <p>
 * When a connection is accepted its pipeline is still empty: Vert.x lays it out (TLS first, then HTTP) when the
 * connection is registered with its event loop. So the connection first gets a {@link Placement}, which waits
 * for that moment and puts the deadline right after TLS, where it reads the decrypted request and its 408 is
 * encrypted, or first where there is no TLS. The deadline runs from there, so a TLS handshake that never
 * completes is cut too.
 */
@ChannelHandler.Sharable
final class DeadlineAcceptor extends ChannelInboundHandlerAdapter {

    static final String NAME = "edgesocket-accept";
    private static final String PLACEMENT = "edgesocket-header-deadline-placement";

    private final long timeoutMillis;

    DeadlineAcceptor(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof Channel child) {
            child.pipeline().addFirst(PLACEMENT, new Placement(timeoutMillis));
        }
        ctx.fireChannelRead(msg);
    }

    /** In one accepted connection until it is registered, by which time Vert.x has laid out its pipeline. */
    private static final class Placement extends ChannelInboundHandlerAdapter {
        private final long timeoutMillis;

        Placement(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            String tls = lastTlsHandler(pipeline);
            HeaderDeadline deadline = new HeaderDeadline(timeoutMillis);
            if (tls != null) {
                pipeline.addAfter(tls, HeaderDeadline.NAME, deadline);
            } else {
                pipeline.addAfter(ctx.name(), HeaderDeadline.NAME, deadline);
            }
            pipeline.remove(this);
            ctx.fireChannelRegistered();
        }

        /**
         * The TLS handler's name: Vert.x's {@code SslHandler}, or with SNI the handler that reads the ClientHello
         * and then replaces itself with an {@code SslHandler} in the same place.
         */
        private static String lastTlsHandler(ChannelPipeline pipeline) {
            String name = null;
            for (Map.Entry<String, ChannelHandler> entry : pipeline) {
                if (entry.getValue() instanceof SslHandler || entry.getValue() instanceof SslClientHelloHandler<?>) {
                    name = entry.getKey();
                }
            }
            return name;
        }
    }
}
