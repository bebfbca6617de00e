package dev.edgesocket.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;

/**
 * {@link ZoneKeySpelling} by example: the spellings people write, the one key each becomes, and the sentences
 * for what cannot work. {@code ZoneKeySpellingProperties} checks the same rules over generated names.
 */
class ZoneKeySpellingTest {

    private static ZoneKeySpelling.Parsed key(String zone, String setting) {
        return new ZoneKeySpelling.Parsed(zone, setting, null);
    }

    @Test
    void theSettingsAreReadFromTheConfigMapping() {
        assertTrue(ZoneKeySpelling.SETTINGS.containsAll(Set.of("path", "script", "dispatch", "websockets.max-idle",
                "websockets.idle-timeout", "websockets.max-connections", "websockets.subprotocols")),
                ZoneKeySpelling.SETTINGS.toString());
    }

    @Test
    void quotedAndBareNamesParseToTheSameKey() {
        assertEquals(key("echo", "path"), ZoneKeySpelling.parse("edgesocket.zones.\"echo\".path"));
        assertEquals(key("echo", "path"), ZoneKeySpelling.parse("edgesocket.zones.echo.path"));
        assertEquals(key("echo", "websockets.max-idle"), ZoneKeySpelling.parse("edgesocket.zones.echo.websockets.max-idle"));
        assertEquals(key("chat.v2", "websockets.max-idle"),
                ZoneKeySpelling.parse("edgesocket.zones.\"chat.v2\".websockets.max-idle"), "dots inside quotes");
        assertEquals(key("echo", "websockets.subprotocols[0]"),
                ZoneKeySpelling.parse("edgesocket.zones.echo.websockets.subprotocols[0]"), "an element of a list");
        assertNull(ZoneKeySpelling.parse("edgesocket.cluster.enabled"), "not a zone setting: passed through");
    }

    @Test
    void whatCannotWorkIsASentenceWithTheRightSpelling() {
        String dotted = ZoneKeySpelling.parse("edgesocket.zones.chat.v2.path").problem();
        assertTrue(dotted.contains("must be quoted") && dotted.contains("edgesocket.zones.\"chat.v2\".path")
                && dotted.contains("EDGESOCKET_ZONES__CHAT_V2__PATH"), dotted);
        String typo = ZoneKeySpelling.parse("edgesocket.zones.echo.websockets.max-idel").problem();
        assertTrue(typo.contains("did you mean edgesocket.zones.\"echo\".websockets.max-idle?"), typo);
        String unclosed = ZoneKeySpelling.parse("edgesocket.zones.\"echo.path").problem();
        assertTrue(unclosed.contains("write edgesocket.zones.\"<zone>\".<setting>"), unclosed);
        String empty = ZoneKeySpelling.parse("edgesocket.zones.").problem();
        assertTrue(empty.contains("is not a zone setting"), empty);
    }

    @Test
    void anEnvironmentVariableFindsTheZoneThatReadsTheSame() {
        Set<String> zones = Set.of("echo-v2", "Chat");
        assertEquals(key("echo-v2", "websockets.max-idle"),
                ZoneKeySpelling.parseEnv("edgesocket.zones.echo.v2.websockets.max.idle", zones));
        assertEquals(key("Chat", "path"), ZoneKeySpelling.parseEnv("edgesocket.zones.chat.path", zones),
                "SmallRye lists an unmatched variable in lower case");
        assertEquals(key("room", "websockets.max-connections"),
                ZoneKeySpelling.parseEnv("edgesocket.zones.room.websockets.max.connections", zones),
                "a zone defined nowhere else: the one segment before the setting");
        String unknown = ZoneKeySpelling.parseEnv("edgesocket.zones.echo.websockets.max.idel", zones).problem();
        assertTrue(unknown.startsWith("EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDEL (environment) is not a zone setting")
                && unknown.contains("did you mean EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDLE?"), unknown);
    }

    @Test
    void theSourceOfHigherOrdinalWinsWhicheverSpellingItUses() {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        values.put("edgesocket.zones.\"echo\".websockets.max-idle", value("edgesocket.zones.\"echo\".websockets.max-idle",
                "30s", "PropertiesConfigSource[source=application.properties]", 250));
        values.put("edgesocket.zones.echo.websockets.max-idle", value("edgesocket.zones.echo.websockets.max-idle", "6s",
                "SysPropConfigSource", 400));
        ConfigValue found = new ZoneKeySpelling().getValue(context(values), "edgesocket.zones.\"echo\".websockets.max-idle");
        assertEquals("6s", found.getValue(), "-D (400) over application.properties (250)");
        assertEquals("edgesocket.zones.\"echo\".websockets.max-idle", found.getName(), "answered under the name asked");
        values.put("edgesocket.zones.echo.websockets.max-idle", value("edgesocket.zones.echo.websockets.max-idle", "6s",
                "PropertiesConfigSource[source=defaults]", 100));
        assertEquals("30s", new ZoneKeySpelling().getValue(context(values), "edgesocket.zones.echo.websockets.max-idle")
                .getValue(), "the quoted spelling from the higher source, asked for bare");
        assertNull(new ZoneKeySpelling().getValue(context(values), "edgesocket.zones.\"echo\".path"));
    }

    @Test
    void namesAreListedQuotedOnceEach() {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (String name : List.of("edgesocket.zones.\"echo\".path", "edgesocket.zones.echo.path",
                "edgesocket.zones.echo.script", "quarkus.http.port")) {
            values.put(name, value(name, "x", "PropertiesConfigSource[source=application.properties]", 250));
        }
        List<String> listed = new ArrayList<>();
        new ZoneKeySpelling().iterateNames(context(values)).forEachRemaining(listed::add);
        assertEquals(List.of("edgesocket.zones.\"echo\".path", "edgesocket.zones.\"echo\".script", "quarkus.http.port"),
                listed);
    }

    @Test
    void aZoneWithSettingsButNoPathStopsTheServerNamingTheClosestZone() {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        for (String name : List.of("edgesocket.zones.echo.path", "edgesocket.zones.ehco.websockets.max-idle")) {
            values.put(name, value(name, "x", "PropertiesConfigSource[source=application.properties]", 250));
        }
        ConfigValidationException stop = assertThrows(ConfigValidationException.class,
                () -> new ZoneKeySpelling().iterateNames(context(values)));
        String sentence = stop.getProblem(0).getMessage();
        assertTrue(sentence.contains("configures a zone \"ehco\" that has no path")
                && sentence.contains("Did you mean the zone \"echo\": edgesocket.zones.\"echo\".websockets.max-idle?"),
                sentence);
    }

    private static ConfigValue value(String name, String value, String source, int ordinal) {
        return ConfigValue.builder().withName(name).withValue(value).withConfigSourceName(source)
                .withConfigSourceOrdinal(ordinal).build();
    }

    private static ConfigSourceInterceptorContext context(Map<String, ConfigValue> values) {
        return new ConfigSourceInterceptorContext() {
            @Override
            public ConfigValue proceed(String name) {
                return values.get(name);
            }

            @Override
            public ConfigValue restart(String name) {
                return proceed(name);
            }

            @Override
            public Iterator<String> iterateNames() {
                return new ArrayList<>(values.keySet()).iterator();
            }
        };
    }
}
