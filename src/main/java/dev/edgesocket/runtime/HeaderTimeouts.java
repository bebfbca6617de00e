package dev.edgesocket.runtime;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.edgesocket.zone.EdgesocketConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code edgesocket.http.header-timeout}: puts a {@link HeaderDeadline} first in every connection the
 * plain HTTP port accepts, so that a client must complete each request head in time, however slowly it
 * trickles bytes.
 * <p>
 * How: Quarkus offers no hook where a connection is accepted, but every accepted connection is a child of
 * the listening channel. Once the server is up this bean sends itself one request on the HTTP port, with a
 * secret path; the request filter hands its connection here, and a small handler goes into the listening
 * channel's pipeline, in front of the one that initialises each accepted connection. From then on every
 * new connection gets its deadline before its first byte is read.
 */
@Singleton
public class HeaderTimeouts {

    private static final Logger LOG = Logger.getLogger(HeaderTimeouts.class);
    private static final String PROBE_PREFIX = "/_edgesocket/accept-probe/";

    private final long timeoutMillis;
    private final String probePath = PROBE_PREFIX + UUID.randomUUID();
    private final AtomicBoolean installed = new AtomicBoolean();

    @Inject
    public HeaderTimeouts(EdgesocketConfig config) {
        this.timeoutMillis = config.http().headerTimeout().toMillis();
    }

    void onServerStart(@ObservesAsync HttpServerStart start, Vertx vertx) {
        if (timeoutMillis <= 0) {
            LOG.info("edgesocket.http.header-timeout is 0: connections that never complete a request are not cut");
            return;
        }
        int port = port(start);
        if (port <= 0) {
            LOG.warnf("The HTTP port is not known yet (%d): edgesocket.http.header-timeout does not apply", port);
            return;
        }
        String host = "0.0.0.0".equals(start.options().getHost()) || start.options().getHost() == null ? "127.0.0.1"
                : start.options().getHost();
        NetClient client = vertx.createNetClient();
        client.connect(port, host).onSuccess(socket -> {
            socket.handler(b -> socket.close());
            socket.write(Buffer.buffer("GET " + probePath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
        }).onFailure(e -> LOG.warnf("edgesocket.http.header-timeout does not apply: the HTTP port did not answer (%s)",
                e.getMessage())).onComplete(x -> vertx.setTimer(5000, t -> client.close()));
    }

    private static int port(HttpServerStart start) {
        int port = start.options().getPort();
        if (port > 0) {
            return port;
        }
        // Tests bind to a free port (quarkus.http.test-port=0); Quarkus records the port it got.
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(0);
    }

    /**
     * Called by the request filter for every request: the probe installs the acceptor (true: answered here);
     * any other HTTP/1.x request that is not an upgrade re-arms its connection's deadline when its response ends.
     */
    boolean onRequest(RoutingContext rc, boolean upgrade) {
        if (timeoutMillis <= 0) {
            return false;
        }
        Channel channel = ((ConnectionBase) rc.request().connection()).channel();
        if (rc.request().path().startsWith(PROBE_PREFIX)) {
            if (rc.request().path().equals(probePath) && channel.parent() != null
                    && installed.compareAndSet(false, true)) {
                channel.parent().pipeline().addFirst("edgesocket-accept", new Acceptor(timeoutMillis));
                LOG.debugf("Header deadline of %d ms installed on %s", timeoutMillis, channel.parent());
            }
            HttpResponses.sentence(rc, 404, "There is nothing at " + rc.request().path() + ".", java.util.Map.of());
            return true;
        }
        HeaderDeadline deadline = (HeaderDeadline) channel.pipeline().get(HeaderDeadline.NAME);
        if (deadline == null || upgrade) {
            return false; // not ours, or about to become a WebSocket (FramePipeline removes the deadline)
        }
        if (rc.request().version() == io.vertx.core.http.HttpVersion.HTTP_2
                || HandshakeCheck.hasToken(rc.request().headers().getAll("Upgrade"), "h2c")) {
            // HTTP/2 multiplexes streams on one connection and has no request heads to wait for: the HTTP idle
            // timeout governs it.
            channel.pipeline().remove(deadline);
            return false;
        }
        rc.addEndHandler(v -> {
            if (channel.isActive() && channel.pipeline().get(HeaderDeadline.NAME) == deadline) {
                deadline.arm();
            }
        });
        return false;
    }

    /** On the listening channel: gives each accepted connection its deadline. */
    @ChannelHandler.Sharable
    private static final class Acceptor extends ChannelInboundHandlerAdapter {
        private final long timeoutMillis;

        Acceptor(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst(HeaderDeadline.NAME, new HeaderDeadline(timeoutMillis));
            }
            ctx.fireChannelRead(msg);
        }
    }
}
