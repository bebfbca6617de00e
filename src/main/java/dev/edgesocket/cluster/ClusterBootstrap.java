package dev.edgesocket.cluster;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.ConfigProvider;

import dev.edgesocket.config.EdgesocketConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts cluster mode when {@code edgesocket.cluster.enabled=true}, and does nothing else: without it no
 * cluster bean is created and nothing connects to Redis.
 */
@Singleton
public class ClusterBootstrap {

    private final EdgesocketConfig config;
    private final Instance<ClusterNode> nodes;
    private ClusterNode node;

    @Inject
    public ClusterBootstrap(EdgesocketConfig config, Instance<ClusterNode> nodes) {
        this.config = config;
        this.nodes = nodes;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.cluster().enabled()) {
            return;
        }
        if (config.stateFile().isPresent()) {
            throw new IllegalStateException("edgesocket.cluster.enabled=true and edgesocket.state-file="
                    + config.stateFile().get() + " cannot be used together: in cluster mode the settings changed over HTTP "
                    + "live in Redis. Unset edgesocket.state-file.");
        }
        var redis = ConfigProvider.getConfig();
        if (redis.getOptionalValue("quarkus.redis.hosts", String.class).isEmpty()
                && redis.getOptionalValue("quarkus.redis.hosts-provider-name", String.class).isEmpty()) {
            throw new IllegalStateException("edgesocket.cluster.enabled=true needs a Redis: set quarkus.redis.hosts "
                    + "(e.g. redis://redis:6379, env QUARKUS_REDIS_HOSTS).");
        }
        node = nodes.get();
        node.start();
    }

    /** After the drain (which observes the shutdown earlier), so the closes reach Redis first. */
    void onStop(@Observes @Priority(5000) ShutdownEvent event) {
        if (node != null) {
            node.stop();
        }
    }
}
