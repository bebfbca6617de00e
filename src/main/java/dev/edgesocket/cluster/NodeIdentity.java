package dev.edgesocket.cluster;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.config.EdgesocketConfig;

/**
 * This server's name in the cluster: {@code edgesocket.cluster.node-id}, else the pod name Kubernetes puts
 * in {@code HOSTNAME}, else a random one. Fixed for the life of the process.
 */
@Singleton
public class NodeIdentity {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    private final String id;

    @Inject
    public NodeIdentity(EdgesocketConfig config) {
        this(config.cluster().nodeId(), Optional.ofNullable(System.getenv("HOSTNAME")));
    }

    NodeIdentity(Optional<String> configured, Optional<String> hostname) {
        String chosen = configured.filter(s -> !s.isBlank())
                .or(() -> hostname.filter(h -> VALID.matcher(h).matches()))
                .orElseGet(() -> "node-" + UUID.randomUUID().toString().substring(0, 8));
        if (!VALID.matcher(chosen).matches()) {
            throw new IllegalStateException("edgesocket.cluster.node-id '" + chosen + "' cannot be used: a node id is 1 to 100 "
                    + "letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        this.id = chosen;
    }

    public String id() {
        return id;
    }
}
