package dev.edgesocket.origin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.vertx.VertxInternals;
import dev.edgesocket.zone.OriginSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.TrustOptions;

/**
 * One pooled HTTP client per zone's origin, kept while the origin stays the same. When a zone's origin changes the
 * old client is closed once requests under way have had time to finish, so the map holds at most two per zone.
 */
@Singleton
public class OriginClients {

    private record Entry(OriginSettings settings, HttpClient client) {
    }

    private record SocketEntry(OriginSettings settings, int maxMessageSize, WebSocketClient client) {
    }

    private final Vertx vertx;
    /** A zone's clients, one per event loop (null: called off any loop). */
    private record ClientKey(String zone, Object loop) {
    }

    private final Map<ClientKey, Entry> clients = new ConcurrentHashMap<>();
    private final Map<String, SocketEntry> socketClients = new ConcurrentHashMap<>();

    @Inject
    public OriginClients(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * The client for a zone's origin as it is now, for the calling event loop: one per loop, so that a request and
     * the pooled connection it gets share a thread (a connection of another loop would make every callback hop;
     * the Origins benchmark measured 2-3x the CPU per request that way). Bounded by zones x event loops.
     */
    HttpClient client(String zone, OriginSettings origin) {
        io.netty.channel.EventLoop loop = VertxInternals.eventLoop(Vertx.currentContext());
        ClientKey key = new ClientKey(zone, loop);
        Entry entry = clients.get(key);
        if (entry != null && entry.settings().equals(origin)) {
            return entry.client();
        }
        // Failures of origin connections reach their requests' futures; without a handler Vert.x would also log
        // each one as an ERROR (an origin speaking garbage is the origin's news, not this server's error).
        Entry fresh = new Entry(origin, vertx.httpClientBuilder().with(options(origin))
                .withConnectHandler(connection -> connection.exceptionHandler(ignored -> {
                })).build());
        Entry previous = clients.put(key, fresh);
        if (previous != null) {
            long grace = previous.settings().connectTimeout().plus(previous.settings().responseTimeout()).toMillis() + 1000;
            vertx.setTimer(grace, id -> previous.client().close());
        }
        return fresh.client();
    }

    /**
     * The WebSocket client for a zone's origin as it is now; its messages are bounded by the zone's
     * {@code max-message-size}. A socket keeps the client it opened with; a replaced client closes only when the
     * server stops, as closing it would close the sockets still open on it (there is one per change of settings).
     */
    WebSocketClient webSocketClient(String zone, OriginSettings origin, int maxMessageSize) {
        SocketEntry entry = socketClients.get(zone);
        if (entry != null && entry.settings().equals(origin) && entry.maxMessageSize() == maxMessageSize) {
            return entry.client();
        }
        WebSocketClientOptions options = new WebSocketClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, origin.connectTimeout().toMillis()))
                .setMaxMessageSize(maxMessageSize)
                .setMaxFrameSize(maxMessageSize)
                // The zone's max-connections bounds the sockets, not a client-side pool.
                .setMaxConnections(Integer.MAX_VALUE)
                .setTryUsePerMessageCompression(false)
                .setClosingTimeout(5);
        if (origin.secure()) {
            tls(options, origin);
            options.setVerifyHost(!origin.insecure());
        }
        SocketEntry fresh = new SocketEntry(origin, maxMessageSize, vertx.createWebSocketClient(options));
        SocketEntry previous = socketClients.put(zone, fresh);
        if (previous != null) {
            retired.add(previous.client());
        }
        return fresh.client();
    }

    // WebSocket clients replaced by a change of settings: closed with the server (sockets may still use them).
    private final java.util.Queue<WebSocketClient> retired = new java.util.concurrent.ConcurrentLinkedQueue<>();

    static HttpClientOptions options(OriginSettings origin) {
        HttpClientOptions options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, origin.connectTimeout().toMillis()))
                .setKeepAlive(true)
                // No low cap: a few slow clients holding connections must not starve a zone (nginx has none).
                .setMaxPoolSize(4096)
                .setMaxWaitQueueSize(4096)
                // A kept-alive connection goes after 4 s of quiet: before common origins close theirs (Node: 5 s),
                // so that one is rarely reused just as the origin closes it.
                .setKeepAliveTimeout(4)
                .setDecompressionSupported(false)
                .setTryUseCompression(false);
        if (origin.secure()) {
            tls(options, origin);
            options.setForceSni(true).setVerifyHost(!origin.insecure());
        }
        return options;
    }

    /**
     * TLS to an https origin, for either client: the JDK's trust store, plus the PEM file's CAs when the zone names
     * one, or any certificate when it says insecure. Host names are checked by each client's own option.
     */
    private static void tls(io.vertx.core.net.ClientOptionsBase options, OriginSettings origin) {
        options.setSsl(true);
        if (origin.insecure()) {
            options.setTrustAll(true);
        } else if (origin.trustStore().isPresent()) {
            options.setTrustOptions(TrustOptions.wrap(withJdkTrust(Path.of(origin.trustStore().get()))));
        }
    }

    /** A trust manager that trusts the JDK's CAs and those of a PEM file. */
    static X509TrustManager withJdkTrust(Path pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            // The JDK's own CAs first...
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int index = 0;
            for (TrustManager manager : jdk.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + index++, ca);
                    }
                }
            }
            // ...then the operator's.
            for (Certificate ca : readPem(pem)) {
                store.setCertificateEntry("origin-" + index++, ca);
            }
            TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            both.init(store);
            for (TrustManager manager : both.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("The JDK offers no X.509 trust manager.");
        } catch (java.nio.file.NoSuchFileException e) {
            // Its message is the bare path, which the sentence names already.
            throw new IllegalStateException("origin.tls.trust-store " + pem + " could not be read: there is no such file", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IllegalStateException("origin.tls.trust-store " + pem + " could not be read: permission denied", e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("origin.tls.trust-store " + pem + " could not be read: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> readPem(Path pem) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (read.isEmpty()) {
                throw new CertificateException("no certificate in it");
            }
            return new ArrayList<>(read);
        }
    }

    @PreDestroy
    void close() {
        clients.values().forEach(entry -> entry.client().close());
        clients.clear();
        socketClients.values().forEach(entry -> entry.client().close());
        socketClients.clear();
        retired.forEach(WebSocketClient::close);
        retired.clear();
    }
}
