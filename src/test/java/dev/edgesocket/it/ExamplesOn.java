package dev.edgesocket.it;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The packaged server with its demo zones on, for {@code @QuarkusIntegrationTest}s that talk to them: the jar runs
 * in the prod profile, where {@code edgesocket.examples.enabled} is false.
 */
public class ExamplesOn implements QuarkusTestProfile {

    static final Map<String, String> CONFIG = Map.of("edgesocket.examples.enabled", "true");

    @Override
    public Map<String, String> getConfigOverrides() {
        return CONFIG;
    }
}
