package dev.edgesocket.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.edgesocket.config.EdgesocketConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;

/**
 * Checks the {@code AccessKey} header of config API calls, Bunny's convention, in constant time.
 * Without a configured key every call is refused, and startup says how to set one. In dev mode
 * ({@code ./mvnw quarkus:dev}) the {@code %dev} profile sets a key, which startup prints with the console's address so
 * that the console's admin panel works at once; no other profile has a default key.
 */
@Startup
@Singleton
public class AdminAccess {

    private static final Logger LOG = Logger.getLogger(AdminAccess.class);

    private final byte[] keyDigest;

    @Inject
    public AdminAccess(EdgesocketConfig config, @ConfigProperty(name = "quarkus.http.host") String host,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        this.keyDigest = config.admin().apiKey().filter(k -> !k.isBlank()).map(AdminAccess::digest).orElse(null);
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT && keyDigest != null) {
            // Only the developer's own machine sees this: the key is the dev profile's, or one they set themselves.
            LOG.infof("Dev mode: the console is at http://%s:%d/console; its admin panel (and /api) takes the AccessKey %s",
                    host.equals("0.0.0.0") ? "localhost" : host, port, config.admin().apiKey().get());
        }
        if (keyDigest == null) {
            LOG.warn("No admin API key is set, so every call to /api is refused with 401. "
                    + "Set the environment variable EDGESOCKET_ADMIN_API_KEY (or edgesocket.admin.api-key) to enable it.");
        }
    }

    boolean configured() {
        return keyDigest != null;
    }

    /** True when {@code presented} is the key; comparing digests keeps the time independent of the input. */
    boolean accepts(String presented) {
        return keyDigest != null && presented != null && MessageDigest.isEqual(keyDigest, digest(presented));
    }

    private static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
