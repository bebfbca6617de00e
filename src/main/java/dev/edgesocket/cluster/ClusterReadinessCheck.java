package dev.edgesocket.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.arc.lookup.LookupIfProperty;

/**
 * Cluster mode only. Ready once the node's first contact with Redis was made (settings loaded) or given up;
 * a Redis outage does NOT make the node unready (it would pull every pod out of the Service at once): the
 * data says {@code link: degraded} instead, as does the gauge {@code edgesocket_cluster_link}.
 */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class ClusterReadinessCheck implements HealthCheck {

    @Inject
    Instance<ClusterNode> node;

    @Override
    public HealthCheckResponse call() {
        ClusterNode n = node.get();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("cluster").status(n.started())
                .withData("node", n.id())
                .withData("link", n.linked() ? "up" : "degraded")
                .withData("nodes", n.nodesSeen());
        if (!n.linked() && n.lastProblem() != null) {
            response.withData("problem", n.lastProblem());
        }
        return response.build();
    }
}
