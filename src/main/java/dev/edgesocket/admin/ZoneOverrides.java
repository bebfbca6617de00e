package dev.edgesocket.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.zone.OriginSettings;
import dev.edgesocket.zone.SettingsStore;
import dev.edgesocket.zone.Zone;
import dev.edgesocket.zone.ZoneRegistry;
import dev.edgesocket.zone.ZoneSettings;
import dev.edgesocket.zone.ZoneSocket;
import io.quarkus.arc.lookup.LookupUnlessProperty;
import io.quarkus.runtime.Startup;

/**
 * The settings changed over HTTP, per zone, laid over the configuration (the baseline). With
 * {@code edgesocket.state-file} set they survive a restart: written atomically (a temp file renamed
 * over the old one) after every change, read at start. A file that cannot be read back stops the
 * server at start with a sentence naming it, rather than silently dropping the changes. This is the
 * single-node {@link SettingsStore}; cluster mode keeps the overrides in Redis instead.
 */
@Startup
@Singleton
@LookupUnlessProperty(name = "edgesocket.cluster.enabled", stringValue = "true")
public class ZoneOverrides implements SettingsStore {

    static final String CLOSE_REASON = "WebSockets were disabled for this zone";

    private static final Logger LOG = Logger.getLogger(ZoneOverrides.class);

    private final ZoneRegistry zones;
    private final ObjectMapper json;
    private final EdgesocketConfig config;
    private final Optional<Path> stateFile;
    private final Map<String, ObjectNode> overrides = new LinkedHashMap<>();

    @Inject
    public ZoneOverrides(ZoneRegistry zones, ObjectMapper json, EdgesocketConfig config) {
        this.zones = zones;
        this.json = json;
        this.config = config;
        this.stateFile = config.stateFile();
        stateFile.ifPresent(this::load);
    }

    private void load(Path file) {
        if (!Files.exists(file)) {
            LOG.infof("State file %s does not exist yet; it will be written on the first change", file);
            return;
        }
        JsonNode root;
        try {
            root = json.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw corrupt(file, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw corrupt(file, "it cannot be read (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject() || !root.path("zones").isObject()) {
            throw corrupt(file, "it has no \"zones\" object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("zones").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            // A zone's entry mirrors the property tree: {"websockets": {...}, "origin": {"url": ...}}, either may be
            // absent (files written before origin.url could change have websockets only).
            JsonNode websockets = entry.getValue().get("websockets");
            JsonNode origin = entry.getValue().get("origin");
            if (websockets == null && origin != null) {
                websockets = json.createObjectNode();
            }
            Map<String, String> problems = new LinkedHashMap<>(SettingsPatch.problems(websockets));
            Optional<Zone> zone = zones.named(entry.getKey());
            if (origin != null) {
                if (zone.isPresent()) {
                    problems.putAll(OriginOverride.problems(origin, zone.get()));
                    String kind = OriginOverride.kindProblem(zone.get(), origin.get("url"));
                    if (kind != null) {
                        problems.put(OriginOverride.KEY, "would leave the zone with neither a script nor an origin");
                    }
                } else if (!origin.isObject()) {
                    problems.put("origin", "must be an object");
                }
            }
            if (!problems.isEmpty()) {
                throw corrupt(file, "zone '" + entry.getKey() + "' has bad settings " + problems);
            }
            if (zone.isEmpty()) {
                LOG.warnf("State file %s has settings for zone '%s', which is no longer configured; ignoring them",
                        file, entry.getKey());
                continue;
            }
            ObjectNode flat = ((ObjectNode) websockets).deepCopy();
            if (origin != null && origin.has("url")) {
                flat.set(OriginOverride.KEY, origin.get("url"));
            }
            overrides.put(entry.getKey(), flat);
            zone.get().replaceSettings(SettingsPatch.apply(zone.get().baseline(), websockets));
            if (flat.has(OriginOverride.KEY)) {
                zone.get().replaceOrigin(OriginOverride.origin(config, zone.get(), flat));
            }
            LOG.infof("Zone '%s' takes its changed settings from %s: %s", entry.getKey(), file, entry.getValue());
        }
    }

    private static IllegalStateException corrupt(Path file, String why) {
        return new IllegalStateException("The state file " + file + " cannot be used: " + why
                + ". Fix or delete it, or unset edgesocket.state-file.");
    }

    @Override
    public CompletionStage<ZoneSettings> change(Zone zone, JsonNode changes, boolean closeExisting) {
        ZoneSettings next;
        synchronized (zone) {
            next = SettingsPatch.apply(zone.settings(), OriginOverride.websockets(changes));
            OriginSettings origin = changes.has(OriginOverride.KEY) ? OriginOverride.origin(config, zone, changes)
                    : zone.origin();
            try {
                record(zone, changes);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new UncheckedIOException(e));
            }
            zone.replaceSettings(next);
            zone.replaceOrigin(origin); // sockets and requests already under way keep the origin they started with
        }
        if (closeExisting && !next.enabled()) {
            for (ZoneSocket socket : zone.openSockets()) {
                socket.close(1001, CLOSE_REASON);
            }
        }
        return CompletableFuture.completedFuture(next);
    }

    /** Records a checked change of a zone's settings and keeps it in the state file, if there is one. */
    synchronized void record(Zone zone, JsonNode changes) throws IOException {
        ObjectNode merged = SettingsPatch.merge(overrides.getOrDefault(zone.name(), json.createObjectNode()), changes);
        Map<String, ObjectNode> next = new LinkedHashMap<>(overrides);
        next.put(zone.name(), merged);
        if (stateFile.isPresent()) {
            write(stateFile.get(), next);
        }
        overrides.clear();
        overrides.putAll(next);
    }

    private void write(Path file, Map<String, ObjectNode> state) throws IOException {
        ObjectNode root = json.createObjectNode();
        ObjectNode zonesNode = root.putObject("zones");
        state.forEach((name, flat) -> {
            // The property tree's shape, as the API spells it: the origin's URL under "origin", apart.
            ObjectNode zone = zonesNode.putObject(name);
            zone.set("websockets", OriginOverride.websockets(flat));
            if (flat.has(OriginOverride.KEY)) {
                zone.putObject("origin").set("url", flat.get(OriginOverride.KEY));
            }
        });
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), root);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
