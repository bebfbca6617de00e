package dev.edgesocket.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/internals.md and what each may import, read from the sources: a new arrow upward (say
 * {@code metrics} importing {@code runtime}) fails here, with the file that drew it.
 */
class PackageMapTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/edgesocket");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?dev\\.edgesocket\\.([a-z]+)\\.");

    /** docs/internals.md's package map: each room and the rooms below it that it may import. */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("api", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("heartbeat", Set.of()),
            Map.entry("serial", Set.of()),
            Map.entry("vertx", Set.of()),
            Map.entry("events", Set.of("api")),
            Map.entry("zone", Set.of("api", "config")),
            Map.entry("lifecycle", Set.of("config", "zone")),
            Map.entry("metrics", Set.of("heartbeat", "zone", "config")),
            Map.entry("origin", Set.of("api", "config", "metrics", "vertx", "zone")),
            Map.entry("health", Set.of("heartbeat", "lifecycle", "zone", "config")),
            Map.entry("channels", Set.of("api", "config", "events", "serial", "zone")),
            Map.entry("cluster", Set.of("channels", "config", "metrics", "zone")),
            Map.entry("runtime", Set.of("api", "config", "events", "heartbeat", "lifecycle", "metrics", "origin", "serial", "vertx", "zone")),
            Map.entry("js", Set.of("api", "channels", "config", "vertx", "zone")),
            Map.entry("examples", Set.of("api", "channels")),
            Map.entry("admin", Set.of("api", "channels", "config", "metrics", "origin", "runtime", "zone", "lifecycle")));

    @Test
    void everyRoomImportsOnlyWhatTheMapAllows() throws IOException {
        List<String> wrong = new ArrayList<>();
        Map<String, Set<String>> seen = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String room = SOURCES.relativize(file).getName(0).toString();
                assertTrue(MAY_IMPORT.containsKey(room), "room '" + room + "' (" + file + ") is not on the map: add it "
                        + "to docs/internals.md and to this test");
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    String target = m.group(1);
                    if (!target.equals(room)) {
                        seen.computeIfAbsent(room, r -> new TreeSet<>()).add(target);
                        if (!MAY_IMPORT.get(room).contains(target)) {
                            wrong.add(file + " imports " + target);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), wrong, "imports against the package map; what each room imports: " + seen);
    }
}
