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
    private final Optional<Path> stateFile;
    private final Map<String, ObjectNode> overrides = new LinkedHashMap<>();

    @Inject
    public ZoneOverrides(ZoneRegistry zones, ObjectMapper json, EdgesocketConfig config) {
        this.zones = zones;
        this.json = json;
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
            JsonNode websockets = entry.getValue().get("websockets");
            Map<String, String> problems = SettingsPatch.problems(websockets);
            if (!problems.isEmpty()) {
                throw corrupt(file, "zone '" + entry.getKey() + "' has bad settings " + problems);
            }
            Optional<Zone> zone = zones.named(entry.getKey());
            if (zone.isEmpty()) {
                LOG.warnf("State file %s has settings for zone '%s', which is no longer configured; ignoring them",
                        file, entry.getKey());
                continue;
            }
            overrides.put(entry.getKey(), (ObjectNode) websockets);
            zone.get().replaceSettings(SettingsPatch.apply(zone.get().baseline(), websockets));
            LOG.infof("Zone '%s' takes its changed settings from %s: %s", entry.getKey(), file, websockets);
        }
    }

    private static IllegalStateException corrupt(Path file, String why) {
        return new IllegalStateException("The state file " + file + " cannot be used: " + why
                + ". Fix or delete it, or unset edgesocket.state-file.");
    }

    @Override
    public CompletionStage<ZoneSettings> change(Zone zone, JsonNode websockets, boolean closeExisting) {
        ZoneSettings next;
        synchronized (zone) {
            next = SettingsPatch.apply(zone.settings(), websockets);
            try {
                record(zone, websockets);
            } catch (IOException e) {
                return CompletableFuture.failedFuture(new UncheckedIOException(e));
            }
            zone.replaceSettings(next);
        }
        if (closeExisting && !next.enabled()) {
            for (ZoneSocket socket : zone.openSockets()) {
                socket.close(1001, CLOSE_REASON);
            }
        }
        return CompletableFuture.completedFuture(next);
    }

    /** Records a checked change of a zone's settings and keeps it in the state file, if there is one. */
    synchronized void record(Zone zone, JsonNode websockets) throws IOException {
        ObjectNode merged = SettingsPatch.merge(overrides.getOrDefault(zone.name(), json.createObjectNode()), websockets);
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
        state.forEach((name, websockets) -> zonesNode.putObject(name).set("websockets", websockets));
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
