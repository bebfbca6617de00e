package dev.edgesocket.cluster;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.edgesocket.config.EdgesocketConfig;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/** In cluster mode every meter carries the tag {@code node}, so one dashboard can tell the servers apart. */
@Singleton
public class NodeMetricsTag {

    @Produces
    @Singleton
    MeterFilter nodeTag(EdgesocketConfig config, NodeIdentity identity) {
        if (!config.cluster().enabled()) {
            return new MeterFilter() {
            };
        }
        return MeterFilter.commonTags(Tags.of("node", identity.id()));
    }
}
