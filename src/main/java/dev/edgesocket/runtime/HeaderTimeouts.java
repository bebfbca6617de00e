package dev.edgesocket.runtime;

import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.vertx.VertxInternals;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code edgesocket.http.header-timeout}: puts a {@link HeaderDeadline} in every connection the HTTP port
 * and the TLS port accept, so that a client must complete each request head in time, however slowly it
 * trickles bytes, and tells each deadline where a request starts and where its response ends.
 * <p>
 * How: Quarkus offers no hook where a connection is accepted, but every accepted connection is a child of
 * its listening channel. Once a server is up this bean sends itself one request on its port, with a secret
 * path (over TLS on the TLS port); the request filter hands its connection here, and a
 * {@link DeadlineAcceptor} goes into the listening channel's pipeline, in front of the one that initialises
 * each accepted connection. From then on every new connection on that port gets its deadline before its first
 * byte is read.
 */
@Singleton
public class HeaderTimeouts {

    private static final Logger LOG = Logger.getLogger(HeaderTimeouts.class);
    private static final String PROBE_PREFIX = "/_edgesocket/accept-probe/";
    /** Marks a request whose deadline is looked after: a rerouted upgrade passes the filter twice. */
    private static final String TRACKED = "edgesocket.header-deadline-tracked";

    private final long timeoutMillis;
    private final String probePath = PROBE_PREFIX + UUID.randomUUID();

    @Inject
    public HeaderTimeouts(EdgesocketConfig config) {
        this.timeoutMillis = config.http().headerTimeout().toMillis();
    }

    void onServerStart(@ObservesAsync HttpServerStart start, Vertx vertx) {
        if (timeoutMillis <= 0) {
            LOG.info("edgesocket.http.header-timeout is 0: connections that never complete a request are not cut");
            return;
        }
        probe(vertx, start.options(), port(start.options(), "quarkus.http.test-port", "quarkus.http.port"), false);
    }

    void onTlsServerStart(@ObservesAsync HttpsServerStart start, Vertx vertx) {
        if (timeoutMillis > 0) {
            probe(vertx, start.options(), port(start.options(), "quarkus.http.test-ssl-port", "quarkus.http.ssl-port"), true);
        }
    }

    /** Connects to our own port and sends the probe request, whose connection leads to the listening channel. */
    private void probe(Vertx vertx, HttpServerOptions options, int port, boolean tls) {
        String which = tls ? "TLS port" : "HTTP port";
        if (port <= 0) {
            LOG.warnf("The %s is not known yet (%d): edgesocket.http.header-timeout does not apply to it", which, port);
            return;
        }
        String host = "0.0.0.0".equals(options.getHost()) || options.getHost() == null ? "127.0.0.1" : options.getHost();
        // Our own server, reached on loopback: its certificate need not be one the JDK trusts.
        NetClient client = vertx.createNetClient(new NetClientOptions().setSsl(tls).setTrustAll(tls).setHostnameVerificationAlgorithm(""));
        client.connect(port, host).onSuccess(socket -> {
            socket.handler(b -> socket.close());
            socket.write(Buffer.buffer("GET " + probePath + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n"));
        }).onFailure(e -> LOG.warnf("edgesocket.http.header-timeout does not apply to the %s %d: it did not answer (%s)",
                which, port, e.getMessage())).onComplete(x -> vertx.setTimer(5000, t -> client.close()));
    }

    private static int port(HttpServerOptions options, String testKey, String key) {
        if (options.getPort() > 0) {
            return options.getPort();
        }
        // Tests bind to a free port (quarkus.http.test-port=0); Quarkus records the port it got.
        return ConfigProvider.getConfig()
                .getOptionalValue(LaunchMode.current() == LaunchMode.TEST ? testKey : key, Integer.class).orElse(0);
    }

    /**
     * Called by the request filter for every request: the probe installs the acceptor (true: answered here);
     * for any other request the connection's deadline learns that a request began, and, on HTTP/1, when its
     * response ends without switching protocols, so that the next head is due from then.
     */
    boolean onRequest(RoutingContext rc) {
        if (timeoutMillis <= 0) {
            return false;
        }
        Channel channel = VertxInternals.channel(rc.request().connection());
        if (rc.request().path().startsWith(PROBE_PREFIX)) {
            if (rc.request().path().equals(probePath) && channel.parent() != null) {
                install(channel.parent(), rc.request().isSSL());
            }
            HttpResponses.sentence(rc, 404, "There is nothing at " + rc.request().path() + ".", Map.of());
            return true;
        }
        HeaderDeadline deadline = (HeaderDeadline) channel.pipeline().get(HeaderDeadline.NAME);
        if (deadline == null || rc.get(TRACKED) != null) {
            return false; // not ours, or a rerouted request already tracked
        }
        rc.put(TRACKED, Boolean.TRUE);
        if (rc.request().version() == HttpVersion.HTTP_2) {
            // Prior knowledge and ALPN were seen by the deadline itself; an HTTP/1 request upgraded to h2c
            // becomes stream 1 and arrives here first.
            Http2ConnectionHandler http2 = channel.pipeline().get(Http2ConnectionHandler.class);
            if (http2 != null) {
                deadline.watchStreams(http2.connection());
            }
            return false;
        }
        int request = deadline.requestStarted();
        rc.addEndHandler(v -> {
            // A 101 hands the connection to the WebSocket, which removes the deadline; any other response,
            // a refused upgrade's too, leaves an HTTP connection that owes the next head within the deadline.
            if (rc.response().getStatusCode() != 101) {
                deadline.responseEnded(request);
            }
        });
        return false;
    }

    /** On the probe's event loop; the listening channel's pipeline is safe to change from any thread. */
    private void install(Channel listening, boolean tls) {
        ChannelPipeline pipeline = listening.pipeline();
        synchronized (this) {
            if (pipeline.get(DeadlineAcceptor.NAME) != null) {
                return;
            }
            pipeline.addFirst(DeadlineAcceptor.NAME, new DeadlineAcceptor(timeoutMillis));
        }
        LOG.infof("The header deadline (edgesocket.http.header-timeout, %d ms) applies to port %s%s", timeoutMillis,
                localPort(listening), tls ? " (TLS)" : "");
    }

    private static String localPort(Channel listening) {
        return listening.localAddress() instanceof java.net.InetSocketAddress address
                ? String.valueOf(address.getPort())
                : String.valueOf(listening.localAddress());
    }
}
