package dev.edgesocket.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.utils.StringUtil;

/**
 * {@link ZoneKeySpelling}: one zone setting, written quoted, bare or as an environment variable, is one key; and
 * whatever names the configuration holds, the server either starts or stops with sentences, never with another
 * exception. Environment variables are listed here the way SmallRye lists them ({@link StringUtil#toLowerCaseAndDotted}).
 */
class ZoneKeySpellingProperties {

    static final List<String> SETTINGS = List.copyOf(ZoneKeySpelling.SETTINGS);

    /** A zone name: letters, digits, dashes and underscores, sometimes upper case, sometimes with dots. */
    static String zoneName(Draw d, boolean dots) {
        StringBuilder sb = new StringBuilder();
        int n = d.between(1, 10);
        for (int i = 0; i < n; i++) {
            sb.append(d.pick("a", "e", "z", "0", "9", "-", "_", "X", dots ? "." : "o"));
        }
        String name = sb.toString();
        return name.matches(".*[A-Za-z0-9].*") ? name : "z" + name;
    }

    /**
     * A zone name an environment variable can carry: words joined by single dashes, underscores or dots. (Two
     * underscores in a row are SmallRye's quotes, so a name that would need them cannot be written that way; and a
     * part made of digits alone, as in a zone "0", SmallRye does not list as a zone name: left out here.)
     */
    static String envSafeZoneName(Draw d) {
        StringBuilder sb = new StringBuilder(d.pick("echo", "a", "Chat", "z9", "ECHO"));
        int n = d.between(0, 3);
        for (int i = 0; i < n; i++) {
            sb.append(d.pick("-", "_", ".")).append(d.pick("v2", "b", "Room", "x1"));
        }
        return sb.toString();
    }

    record Spelling(String zone, String setting) {
    }

    static final Gen<Spelling> SPELLINGS = Fuzz.gen(d -> new Spelling(zoneName(d, d.oneIn(3)), d.pick(SETTINGS)));

    @Test
    void quotedAndBareSpellingsAreOneKey() {
        Fuzz.qt(1000).forAll(SPELLINGS).checkAssert(s -> {
            ZoneKeySpelling.Parsed want = new ZoneKeySpelling.Parsed(s.zone(), s.setting(), null);
            assertEquals(want, ZoneKeySpelling.parse(ZoneKeySpelling.quoted(s.zone(), s.setting())));
            ZoneKeySpelling.Parsed bare = ZoneKeySpelling.parse(ZoneKeySpelling.PREFIX + s.zone() + "." + s.setting());
            if (s.zone().indexOf('.') < 0) {
                assertEquals(want, bare);
            } else {
                // A dotted name cannot be bare: the sentence gives the quoted spelling, which is the key.
                assertNotNull(bare.problem());
                assertTrue(bare.problem().contains(ZoneKeySpelling.quoted(s.zone(), s.setting())), bare.problem());
            }
        });
    }

    /**
     * Both environment forms ({@code EDGESOCKET_ZONES_<ZONE>_<SETTING>} and {@code EDGESOCKET_ZONES__<ZONE>__<SETTING>})
     * reach a zone defined elsewhere whose name reads the same, among other zones that read differently.
     */
    @Test
    void environmentSpellingsReachTheZoneDefinedElsewhere() {
        Gen<Object[]> cases = Fuzz.gen(d -> new Object[] {new Spelling(envSafeZoneName(d), d.pick(SETTINGS)),
                zoneName(d, true), zoneName(d, false), d.bool()});
        Fuzz.qt(1000).forAll(cases).describedAs(java.util.Arrays::toString).checkAssert(c -> {
            Spelling s = (Spelling) c[0];
            boolean quotedForm = (boolean) c[3];
            Set<String> zones = new LinkedHashSet<>();
            for (String other : new String[] {(String) c[1], (String) c[2]}) {
                if (!envForm(other).equals(envForm(s.zone()))) {
                    zones.add(other);
                }
            }
            zones.add(s.zone());
            String variable = quotedForm
                    ? "EDGESOCKET_ZONES__" + env(s.zone()) + "__" + env(s.setting())
                    : "EDGESOCKET_ZONES_" + env(s.zone()) + "_" + env(s.setting());
            String listed = StringUtil.toLowerCaseAndDotted(variable);
            assertEquals(new ZoneKeySpelling.Parsed(s.zone(), s.setting(), null), ZoneKeySpelling.parseEnv(listed, zones),
                    variable + " listed as " + listed);
        });
    }

    /** Names as people mistype them, and names as junk: parse and parseEnv answer, never throw. */
    static final Gen<String> NAMES = Fuzz.gen(ZoneKeySpellingProperties::name);

    static String name(Draw d) {
        StringBuilder sb = new StringBuilder(d.oneIn(10) ? "" : ZoneKeySpelling.PREFIX);
        int n = d.between(0, 6);
        for (int i = 0; i < n; i++) {
            sb.append(d.pick("\"", ".", "echo", "a.b", "[0]", "[", "]", "websockets", "max-idle", "max.idle", "path", "-",
                    "_", "subprotocols[1]", "websockets.subprotocols[2]", "", "\u00E9", "\\", "$", "*",
                    d.pick(SETTINGS)));
        }
        return sb.toString();
    }

    @Test
    void anyNameParsesWithoutThrowing() {
        Fuzz.qt(1000).forAll(NAMES).checkAssert(name -> {
            ZoneKeySpelling.Parsed parsed = ZoneKeySpelling.parse(name);
            if (!name.startsWith(ZoneKeySpelling.PREFIX)) {
                assertNull(parsed);
                return;
            }
            check(name, parsed);
            // The interceptor hands parseEnv every name under the prefix that comes from the environment.
            check(name, ZoneKeySpelling.parseEnv(name, Set.of("echo", "a.b")));
            check(name, ZoneKeySpelling.parseEnv(StringUtil.toLowerCaseAndDotted(
                    name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")), Set.of()));
        });
    }

    /** Either a key and a known setting, or a sentence. */
    static void check(String name, ZoneKeySpelling.Parsed parsed) {
        assertNotNull(parsed, name);
        if (parsed.problem() == null) {
            assertNotNull(parsed.key(), name);
            assertTrue(ZoneKeySpelling.SETTINGS.contains(parsed.setting().replaceFirst("\\[\\d+]$", "")), name);
        } else {
            assertFalse(parsed.problem().isBlank(), name);
        }
    }

    /**
     * The interceptor over any set of names from the environment and from files: it lists names, or stops the
     * server with sentences (ConfigValidationException), nothing else.
     */
    @Test
    void theInterceptorStartsOrStopsWithSentences() {
        Gen<Map<String, Boolean>> configs = Fuzz.gen(d -> {
            Map<String, Boolean> names = new LinkedHashMap<>(); // name -> from the environment
            int n = d.between(0, 6);
            for (int i = 0; i < n; i++) {
                String name = d.bool() ? name(d) : null;
                if (name == null) {
                    Spelling s = new Spelling(zoneName(d, false), d.pick(SETTINGS));
                    name = d.bool() ? ZoneKeySpelling.quoted(s.zone(), s.setting())
                            : ZoneKeySpelling.PREFIX + s.zone() + "." + s.setting();
                }
                boolean fromEnv = d.oneIn(3);
                names.put(fromEnv ? StringUtil.toLowerCaseAndDotted(name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9\"]", "_"))
                        : name, fromEnv);
            }
            if (d.bool()) {
                names.put("quarkus.http.port", false);
            }
            return names;
        });
        Fuzz.qt(500).forAll(configs).checkAssert(names -> {
            try {
                Iterator<String> listed = new ZoneKeySpelling().iterateNames(context(names));
                listed.forEachRemaining(name -> assertNotNull(name));
            } catch (ConfigValidationException e) {
                assertTrue(e.getProblemCount() > 0);
                for (int i = 0; i < e.getProblemCount(); i++) {
                    assertFalse(e.getProblem(i).getMessage().isBlank());
                }
            }
        });
    }

    static ConfigSourceInterceptorContext context(Map<String, Boolean> names) {
        return new ConfigSourceInterceptorContext() {
            @Override
            public ConfigValue proceed(String name) {
                Boolean env = names.get(name);
                return env == null ? null : ConfigValue.builder().withName(name).withValue("x")
                        .withConfigSourceName(env ? "EnvConfigSource" : "PropertiesConfigSource[source=application.properties]")
                        .withConfigSourceOrdinal(env ? 300 : 250).build();
            }

            @Override
            public ConfigValue restart(String name) {
                return proceed(name);
            }

            @Override
            public Iterator<String> iterateNames() {
                return new ArrayList<>(names.keySet()).iterator();
            }
        };
    }

    /** A name as an environment variable writes it: upper case, anything else than a letter or digit an underscore. */
    static String env(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** How a name reads once it went through an environment variable. */
    static String envForm(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
    }

    /**
     * The same through SmallRye itself: a zone defined in application.properties (quoted or bare), one of its
     * settings given by an environment variable in either form. The server starts (the names are listed without a
     * problem), the setting is listed under the zone's quoted key, and reading it gives the variable's value.
     */
    @Test
    void environmentOverridesThroughSmallRye() {
        Gen<Object[]> cases = Fuzz.gen(d -> new Object[] {envSafeZoneName(d), d.pick(SETTINGS.stream()
                .filter(s -> !s.equals("path") && !s.equals("script")).toList()), d.bool(), d.bool()});
        Fuzz.qt(200).forAll(cases).describedAs(java.util.Arrays::toString).checkAssert(c -> {
            String zone = (String) c[0];
            String setting = (String) c[1];
            boolean quotedDefinition = (boolean) c[2] || zone.indexOf('.') >= 0;
            boolean quotedVariable = (boolean) c[3];
            String defined = quotedDefinition ? ZoneKeySpelling.quoted(zone, "") : ZoneKeySpelling.PREFIX + zone + ".";
            String variable = quotedVariable ? "EDGESOCKET_ZONES__" + env(zone) + "__" + env(setting)
                    : "EDGESOCKET_ZONES_" + env(zone) + "_" + env(setting);
            io.smallrye.config.SmallRyeConfig config = new io.smallrye.config.SmallRyeConfigBuilder()
                    .withSources(new io.smallrye.config.PropertiesConfigSource(
                            Map.of(defined + "path", "/p", defined + "script", "echo"), "application.properties", 250))
                    .withSources(new io.smallrye.config.EnvConfigSource(Map.of(variable, "from-env"), 300))
                    .withInterceptors(new ZoneKeySpelling()).build();
            List<String> names = new ArrayList<>();
            config.getPropertyNames().forEach(names::add);
            String key = ZoneKeySpelling.quoted(zone, setting);
            assertTrue(names.contains(key), variable + ": " + names);
            assertEquals("from-env", config.getConfigValue(key).getValue(), variable);
        });
    }
}
