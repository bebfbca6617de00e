package dev.edgesocket.zone;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.ZoneSetting;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Startup;

import dev.edgesocket.api.EdgeScript;

/** The zones from configuration, looked up by path on every request. */
// @Startup: a zone naming a missing script must stop the server at start, not at the first request.
@Startup
@Singleton
public class ZoneRegistry {

    private static final Logger LOG = Logger.getLogger(ZoneRegistry.class);
    static final String NO_ZONES = "No zones are configured, so no WebSocket is served: add one with "
            + "edgesocket.zones.\"<name>\".path=/<path> and edgesocket.zones.\"<name>\".script=<script> (README, "
            + "Configuration), or set edgesocket.examples.enabled=true to serve the demo zones (/echo, /chat, ...)";

    private final Map<String, Zone> byName;
    private final Map<String, Zone> byPath;

    @Inject
    public ZoneRegistry(EdgesocketConfig config, @Any Instance<EdgeScript> scripts, Instance<ScriptLoader> loaders) {
        Map<String, Zone> names = new LinkedHashMap<>();
        Map<String, Zone> paths = new LinkedHashMap<>();
        config.zones().forEach((name, zoneConfig) -> {
            String path = zoneConfig.path();
            if (!path.startsWith("/")) {
                throw new IllegalStateException("edgesocket.zones.\"" + name + "\".path must start with '/', got '" + path + "'.");
            }
            if (paths.containsKey(path)) {
                throw new IllegalStateException("Zones '" + paths.get(path).name() + "' and '" + name
                        + "' both claim the path " + path + ": each zone needs a path of its own.");
            }
            ScriptLoader.Loaded loaded = load(name, zoneConfig, scripts, loaders);
            for (String origin : zoneConfig.websockets().allowedOrigins().orElse(List.of())) {
                String problem = OriginPolicy.problem(origin);
                if (problem != null) {
                    throw new IllegalStateException("edgesocket.zones.\"" + name + "\"." + ZoneSetting.ALLOWED_ORIGINS.property()
                            + ": " + problem + ".");
                }
            }
            Zone zone = new Zone(name, path, loaded.script(), loaded.dispatch(),
                    ZoneSettings.from(zoneConfig.websockets()));
            names.put(name, zone);
            paths.put(path, zone);
            LOG.infof("Zone '%s' serves %s with script '%s' (dispatch %s)", name, path, zoneConfig.script(),
                    loaded.dispatch().name().toLowerCase().replace('_', '-'));
        });
        loaders.forEach(ScriptLoader::loaded);
        if (names.isEmpty()) {
            // A packaged server serves only what its operator configured: say, once, how to get something served.
            LOG.info(NO_ZONES);
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byPath = Map.copyOf(paths);
    }

    /** A bean named by the zone's {@code script}, or what a loader makes of a file spec ({@code file:}, {@code classpath:}). */
    private static ScriptLoader.Loaded load(String name, EdgesocketConfig.ZoneConfig zoneConfig,
            Instance<EdgeScript> scripts, Instance<ScriptLoader> loaders) {
        String spec = zoneConfig.script();
        for (ScriptLoader loader : loaders) {
            Optional<ScriptLoader.Loaded> loaded = loader.load(name, spec);
            if (loaded.isPresent()) {
                return loaded.get();
            }
        }
        Instance<EdgeScript> script = scripts.select(NamedLiteral.of(spec));
        if (!script.isResolvable()) {
            throw new IllegalStateException("Zone '" + name + "' names the script '" + spec
                    + "', but no EdgeScript bean is annotated @Named(\"" + spec + "\").");
        }
        return new ScriptLoader.Loaded(script.get(), zoneConfig.dispatch());
    }

    /** The zone whose path is exactly {@code path}. */
    public Zone forPath(String path) {
        return byPath.get(path);
    }

    public Optional<Zone> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Zone> all() {
        return List.copyOf(byName.values());
    }
}
