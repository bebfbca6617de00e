package dev.edgesocket.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * docs/configuration.md's table against the {@code @ConfigMapping} tree, read by reflection over
 * {@link EdgesocketConfig}'s interfaces (as {@link ZoneKeySpelling} reads a zone's settings): every property
 * has a row, every row is a property, and a row's default is the code's {@code @WithDefault}. The code wins:
 * when this fails, fix the table.
 */
class ConfigurationDocTest {

    private static final Path DOC = Path.of("docs/configuration.md");
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `(edgesocket\\.[^`]+)` \\| ([^|]*) \\|");

    /** Every property of the mapping and its default ({@code null} when it has none: optional or required). */
    static Map<String, String> properties() {
        Map<String, String> into = new LinkedHashMap<>();
        walk(EdgesocketConfig.class, "edgesocket.", into);
        return into;
    }

    private static void walk(Class<?> type, String prefix, Map<String, String> into) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || method.isSynthetic() || Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (returned == Map.class) {
                // edgesocket.zones."<name>".*: a map of groups, keyed as the table writes it.
                Class<?> value = (Class<?>) ((ParameterizedType) method.getGenericReturnType()).getActualTypeArguments()[1];
                walk(value, name + ".\"<name>\".", into);
            } else if (returned.isInterface() && returned.getEnclosingClass() == EdgesocketConfig.class) {
                walk(returned, name + ".", into);
            } else {
                WithDefault withDefault = method.getAnnotation(WithDefault.class);
                into.put(name, withDefault == null ? null : withDefault.value());
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The table's rows: property and default cell, in the doc's order. */
    static Map<String, String> rows() throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher m = ROW.matcher(Files.readString(DOC));
        while (m.find()) {
            assertTrue(rows.put(m.group(1), m.group(2).trim()) == null, "docs/configuration.md lists " + m.group(1) + " twice");
        }
        return rows;
    }

    @Test
    void theWalkSeesTheMappingTree() {
        Map<String, String> properties = properties();
        // A few known ones, so a broken walk cannot pass by finding nothing.
        assertEquals("2m", properties.get("edgesocket.zones.\"<name>\".websockets.max-idle"));
        assertEquals("0", properties.get("edgesocket.workers.threads"));
        assertTrue(properties.containsKey("edgesocket.state-file"));
        assertEquals(null, properties.get("edgesocket.zones.\"<name>\".path"));
        // The zone part agrees with what ZoneKeySpelling accepts as a zone's settings.
        List<String> zone = properties.keySet().stream().filter(p -> p.startsWith("edgesocket.zones."))
                .map(p -> p.substring("edgesocket.zones.\"<name>\".".length())).sorted().toList();
        assertEquals(List.copyOf(ZoneKeySpelling.SETTINGS), zone);
    }

    @Test
    void everyPropertyHasARowAndEveryRowIsAProperty() throws IOException {
        Map<String, String> properties = properties();
        Map<String, String> rows = rows();
        List<String> missing = properties.keySet().stream().filter(p -> !rows.containsKey(p)).toList();
        List<String> unknown = rows.keySet().stream().filter(p -> !properties.containsKey(p)).toList();
        assertEquals(List.of(), missing, "properties of EdgesocketConfig without a row in " + DOC);
        assertEquals(List.of(), unknown, "rows of " + DOC + " that are no property of EdgesocketConfig");
    }

    /**
     * A property with a {@code @WithDefault} shows it first in its cell, as code ({@code `2m`}, perhaps followed
     * by words); one without shows no such value first, but says what unset means ({@code (none: any origin)}).
     */
    @Test
    void everyRowShowsTheCodesDefault() throws IOException {
        Map<String, String> properties = properties();
        List<String> wrong = new ArrayList<>();
        rows().forEach((property, cell) -> {
            if (!properties.containsKey(property)) {
                return; // reported by the other test
            }
            String expected = properties.get(property);
            Optional<String> shown = shownDefault(cell);
            if (expected == null ? shown.isPresent() : !shown.equals(Optional.of(expected))) {
                wrong.add(property + ": the code's default is " + (expected == null ? "none" : "`" + expected + "`")
                        + ", the table says " + cell);
            }
        });
        assertEquals(List.of(), wrong, DOC + " disagrees with EdgesocketConfig's @WithDefault");
    }

    /** docs/operations.md's config API section names every field of a zone's {@code websockets}, as code. */
    @Test
    void theConfigApiDocNamesEveryField() throws IOException {
        String operations = Files.readString(Path.of("docs/operations.md"));
        List<String> unnamed = ZoneSetting.jsonNames().stream().filter(f -> !operations.contains("`" + f + "`")).toList();
        assertEquals(List.of(), unnamed, "fields of the config API that docs/operations.md does not name");
    }

    /** The value a default cell begins with, as code: {@code `false` (`true` in dev)} shows {@code false}. */
    static Optional<String> shownDefault(String cell) {
        Matcher m = Pattern.compile("^`([^`]*)`").matcher(cell);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Test
    void aDefaultCellIsReadAsMeant() {
        assertEquals(Optional.of("false"), shownDefault("`false` (`true` in the dev and test profiles)"));
        assertEquals(Optional.of("0"), shownDefault("`0` (8 per core, at least 16)"));
        assertEquals(Optional.empty(), shownDefault("(none: any origin)"));
        assertEquals(Optional.empty(), shownDefault("env `HOSTNAME` (the pod name), else random"));
        assertFalse(shownDefault("(required)").isPresent());
    }
}
