package dev.edgesocket.it;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The Node origin for an in-server test ({@code @QuarkusTest}): started before Quarkus, its address given as the
 * origin of the zones the test names.
 */
public class NodeOriginResource implements QuarkusTestResourceLifecycleManager {

    private NodeOrigin origin;

    @Override
    public Map<String, String> start() {
        try {
            origin = NodeOrigin.start();
        } catch (Exception e) {
            throw new IllegalStateException("The Node origin did not start", e);
        }
        return Map.of("edgesocket.zones.\"mw\".origin.url", origin.url("/base"),
                "edgesocket.zones.\"mw-loop\".origin.url", origin.url("/base"),
                "edgesocket.zones.\"js-mw\".origin.url", origin.url("/base"),
                "edgesocket.zones.\"js-mw-v1\".origin.url", origin.url("/base"));
    }

    @Override
    public void stop() {
        if (origin != null) {
            try {
                origin.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
