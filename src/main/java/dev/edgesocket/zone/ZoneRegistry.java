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

/** The zones from configuration, looked up by host and path on every request. */
// @Startup: a zone naming a missing script must stop the server at start, not at the first request.
@Startup
@Singleton
public class ZoneRegistry {

    private static final Logger LOG = Logger.getLogger(ZoneRegistry.class);
    static final String NO_ZONES = "No zones are configured, so no WebSocket is served: add one with "
            + "edgesocket.zones.\"<name>\".path=/<path> and edgesocket.zones.\"<name>\".script=<script> (README, "
            + "Configuration), or set edgesocket.examples.enabled=true to serve the demo zones (/echo, /chat, ...)";

    private final Map<String, Zone> byName;
    private final Routes routes;

    @Inject
    public ZoneRegistry(EdgesocketConfig config, @Any Instance<EdgeScript> scripts, Instance<ScriptLoader> loaders) {
        Map<String, Zone> names = new LinkedHashMap<>();
        config.zones().forEach((name, zoneConfig) -> {
            String path = zoneConfig.path();
            List<String> hosts = zoneConfig.hosts().orElse(List.of());
            OriginSettings origin = OriginSettings.from(name, zoneConfig.origin());
            if (zoneConfig.script().isEmpty() && origin == null) {
                throw new IllegalStateException("Zone '" + name + "' has neither a script nor an origin: set "
                        + "edgesocket.zones.\"" + name + "\".script to serve it, or edgesocket.zones.\"" + name
                        + "\".origin.url to proxy it to a server (docs/origins.md).");
            }
            // A Pull Zone runs no script: its sockets' events feed the relay, which never blocks, on the event loop.
            ScriptLoader.Loaded loaded = zoneConfig.script().isEmpty()
                    ? new ScriptLoader.Loaded(null, EdgesocketConfig.Dispatch.EVENT_LOOP)
                    : load(name, zoneConfig.script().get(), zoneConfig.dispatch(), scripts, loaders);
            for (String allowed : zoneConfig.websockets().allowedOrigins().orElse(List.of())) {
                String problem = OriginPolicy.problem(allowed);
                if (problem != null) {
                    throw new IllegalStateException("edgesocket.zones.\"" + name + "\"." + ZoneSetting.ALLOWED_ORIGINS.property()
                            + ": " + problem + ".");
                }
            }
            Zone zone = new Zone(name, hosts, path, loaded.script(), origin, loaded.dispatch(),
                    ZoneSettings.from(zoneConfig.websockets()));
            names.put(name, zone);
            String where = path + (hosts.isEmpty() ? "" : " on " + String.join(", ", hosts));
            String dispatch = loaded.dispatch().name().toLowerCase().replace('_', '-');
            switch (zone.kind()) {
                case STANDALONE -> LOG.infof("Zone '%s' serves %s with script '%s' (dispatch %s)", name, where,
                        zoneConfig.script().get(), dispatch);
                case PULL_ZONE -> LOG.infof("Zone '%s' serves %s from the origin %s", name, where, origin.url());
                case MIDDLEWARE -> LOG.infof("Zone '%s' serves %s from the origin %s through script '%s' (dispatch %s)",
                        name, where, origin.url(), zoneConfig.script().get(), dispatch);
            }
            if (origin != null && origin.insecure()) {
                LOG.warnf("Zone '%s' trusts any certificate of its origin %s (origin.tls.insecure=true): use it for "
                        + "tests only", name, origin.url());
            }
        });
        // Malformed hosts and paths, and two zones claiming the same host and path, stop the start here.
        this.routes = Routes.of(List.copyOf(names.values()));
        for (Zone zone : names.values()) {
            List<String> kept = Routes.serverPathsShadowing(zone);
            if (!kept.isEmpty()) {
                LOG.infof("Zone '%s' is for any host, so %s stay the server's own; give it hosts to serve them too",
                        zone.name(), String.join(", ", kept));
            }
        }
        loaders.forEach(ScriptLoader::loaded);
        if (names.isEmpty()) {
            // A packaged server serves only what its operator configured: say, once, how to get something served.
            LOG.info(NO_ZONES);
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    /** A bean named by the zone's {@code script}, or what a loader makes of a file spec ({@code file:}, {@code classpath:}). */
    private static ScriptLoader.Loaded load(String name, String spec, EdgesocketConfig.Dispatch dispatch,
            Instance<EdgeScript> scripts, Instance<ScriptLoader> loaders) {
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
        return new ScriptLoader.Loaded(script.get(), dispatch);
    }

    /**
     * The zone a request belongs to, by its Host ({@code authority}, port aside) and path, or null: none matches,
     * or the path is the server's own on a host no zone owns.
     */
    public Zone route(String authority, String path) {
        return routes.find(authority, path);
    }

    public Optional<Zone> named(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<Zone> all() {
        return List.copyOf(byName.values());
    }
}
