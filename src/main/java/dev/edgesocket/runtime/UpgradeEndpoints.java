package dev.edgesocket.runtime;

import java.util.Set;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Registers the single Jakarta endpoint all zones share, at an internal path. Quarkus reads this at
 * static init (build time for a native binary), when zone paths are not known yet; the request
 * filter reroutes each upgrade that a script approved to this path, and answers 404 to anyone who
 * asks for it directly.
 */
@RegisterForReflection
public class UpgradeEndpoints implements ServerApplicationConfig {

    public static final String PATH = "/_edgesocket/upgrade";

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of(ServerEndpointConfig.Builder.create(SessionBridge.class, PATH)
                .configurator(new UpgradeConfigurator())
                .build());
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return scanned;
    }
}
