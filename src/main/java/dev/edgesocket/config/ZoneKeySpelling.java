package dev.edgesocket.config;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.WithName;

/**
 * Lets zone settings be written the way people write them. SmallRye Config reads a map key either quoted
 * ({@code edgesocket.zones."echo".path}) or bare ({@code edgesocket.zones.echo.path}), but it requires one zone's
 * names to use one form across every source: once application.properties defines the Quickstart zone quoted, a
 * bare {@code -Dedgesocket.zones.echo.websockets.max-idle=6s} is a different, unknown name ({@code SRCFG00050 ...
 * does not map to any root}), and the reverse holds for a bare definition overridden quoted.
 * <p>
 * This interceptor makes both forms one: names are reported in the quoted form, and a lookup of a zone setting
 * answers with whichever spelling comes from the source of highest ordinal. Environment variables need nothing:
 * SmallRye matches {@code EDGESOCKET_ZONES_ECHO_...} to either form. What cannot work stops the server with a
 * sentence giving the right spelling: a bare zone name with dots, a setting no zone has, a zone given settings
 * but no path (usually a misspelled zone name).
 */
public class ZoneKeySpelling implements ConfigSourceInterceptor {

    private static final long serialVersionUID = 1L;

    static final String PREFIX = "edgesocket.zones.";

    /** Every setting of a zone, relative to its key: {@code path}, {@code websockets.max-idle}, ... */
    static final Set<String> SETTINGS = Collections.unmodifiableSortedSet(
            settings(EdgesocketConfig.ZoneConfig.class, "", new TreeSet<>()));

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        Parsed parsed = parse(name);
        if (parsed == null || parsed.problem != null) {
            return context.proceed(name);
        }
        // One setting, two spellings: the source of higher ordinal wins, as it would for one spelling. For a zone name
        // with dots the bare spelling is how SmallRye finds EDGESOCKET_ZONES_CHAT_V2_PATH (files cannot use it: a
        // bare dotted name stops the server with a sentence).
        ConfigValue quoted = context.proceed(quoted(parsed.key, parsed.setting));
        ConfigValue bare = context.proceed(PREFIX + parsed.key + "." + parsed.setting);
        ConfigValue winner;
        if (quoted == null || bare == null) {
            winner = quoted != null ? quoted : bare;
        } else {
            winner = bare.getConfigSourceOrdinal() > quoted.getConfigSourceOrdinal() ? bare : quoted;
        }
        return winner == null ? null : winner.withName(name);
    }

    @Override
    public Iterator<String> iterateNames(ConfigSourceInterceptorContext context) {
        Set<String> allNames = new LinkedHashSet<>();
        context.iterateNames().forEachRemaining(allNames::add);
        Set<String> names = new LinkedHashSet<>();
        Map<String, String[]> zones = new LinkedHashMap<>(); // zone key -> a name that sets it, and its setting
        List<String> fromEnv = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String name : allNames) {
            if (!name.startsWith(PREFIX)) {
                names.add(name);
                continue;
            }
            ConfigValue value = context.proceed(name);
            if (value != null && value.getConfigSourceName() != null && value.getConfigSourceName().startsWith("EnvConfigSource")) {
                fromEnv.add(name); // after the others: its zone key is matched against theirs
                continue;
            }
            Parsed parsed = parse(name);
            if (parsed.problem != null) {
                problems.add(parsed.problem);
            } else {
                names.add(quoted(parsed.key, parsed.setting));
                zones.putIfAbsent(parsed.key, new String[] {name, parsed.setting});
            }
        }
        for (String name : fromEnv) {
            Parsed parsed = parseEnv(name, zones.keySet());
            if (parsed.problem != null) {
                problems.add(parsed.problem);
            } else {
                names.add(quoted(parsed.key, parsed.setting));
                String variable = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                zones.putIfAbsent(parsed.key, new String[] {variable + " (environment)", parsed.setting});
            }
        }
        Set<String> withPath = new TreeSet<>();
        zones.keySet().stream().filter(key -> names.contains(quoted(key, "path"))).forEach(withPath::add);
        zones.forEach((key, example) -> {
            if (!withPath.contains(key)) {
                problems.add(noPath(key, example[0], example[1], withPath));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(problems.stream().map(ConfigValidationException.Problem::new)
                    .toArray(ConfigValidationException.Problem[]::new));
        }
        return names.iterator();
    }

    /**
     * An environment variable as SmallRye lists it: {@code EDGESOCKET_ZONES_ECHO_WEBSOCKETS_MAX_IDLE} becomes
     * {@code edgesocket.zones.echo.websockets.max.idle}, dashes and dots alike. Its key is a zone defined elsewhere
     * whose name reads the same, else the one segment (or the quoted name) before the setting.
     */
    static Parsed parseEnv(String name, Set<String> zoneKeys) {
        Parsed plain = parse(name); // SmallRye lists a variable it matched to a known name in that name's form
        if (plain.problem == null) {
            // It also lists variables it did not match, lower case (EDGESOCKET_ZONES_CHAT_PATH for a zone "Chat") or
            // with dashes made dots (EDGESOCKET_ZONES__ECHO_V2__PATH for "echo-v2"): a zone that reads the same is meant.
            if (!zoneKeys.contains(plain.key)) {
                for (String zone : zoneKeys) {
                    if (envForm(zone).equals(envForm(plain.key))) {
                        return new Parsed(zone, plain.setting, null);
                    }
                }
            }
            return plain;
        }
        String rest = name.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('-', '.');
        String env = name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        for (String setting : SETTINGS) {
            String suffix = "." + envForm(setting);
            if (rest.endsWith(suffix)) {
                String key = rest.substring(0, rest.length() - suffix.length());
                for (String zone : zoneKeys) {
                    if (envForm(zone).equals(envForm(key))) {
                        return new Parsed(zone, setting, null);
                    }
                }
                boolean quotedKey = key.length() > 2 && key.startsWith("\"") && key.endsWith("\"");
                if (quotedKey) {
                    return new Parsed(key.substring(1, key.length() - 1), setting, null);
                }
                if (!key.isEmpty() && key.indexOf('.') < 0) {
                    return new Parsed(key, setting, null);
                }
                return new Parsed(null, null, env + " (environment): the zone's name cannot be told from the setting's. "
                        + "Define the zone in application.properties or with -D (" + quoted(key.replace('.', '-'), setting)
                        + "); the environment variable then overrides it. For a zone named \"" + key + "\" write "
                        + envName(key, setting) + ".");
            }
        }
        int dot = rest.indexOf('.');
        String key = dot < 0 ? rest : rest.substring(0, dot);
        String written = dot < 0 ? "" : rest.substring(dot + 1);
        Map<String, String> envSettings = new LinkedHashMap<>();
        SETTINGS.forEach(setting -> envSettings.put(envForm(setting), setting));
        String closest = closest(written, envSettings.keySet());
        return new Parsed(null, null, env + " (environment) is not a zone setting"
                + (closest != null ? ": did you mean " + ("EDGESOCKET_ZONES_" + key + "_" + closest).toUpperCase(Locale.ROOT)
                        .replaceAll("[^A-Z0-9]", "_") + "?" : ".")
                + " A zone's settings are " + String.join(", ", SETTINGS) + " (see README, Configuration).");
    }

    private static String envForm(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
    }

    /** A zone's key, the setting and the name as written; null for a name outside {@code edgesocket.zones.}. */
    record Parsed(String key, String setting, String problem) {
    }

    static Parsed parse(String name) {
        if (!name.startsWith(PREFIX)) {
            return null;
        }
        if (name.length() == PREFIX.length()) {
            // "edgesocket.zones.=..." (or a variable EDGESOCKET_ZONES_): no zone, no setting, but a sentence.
            return new Parsed(null, null, name + " is not a zone setting: write edgesocket.zones.\"<zone>\".<setting>, "
                    + "e.g. edgesocket.zones.\"echo\".path.");
        }
        String rest = name.substring(PREFIX.length());
        if (rest.startsWith("\"")) {
            int close = rest.indexOf('"', 1);
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != '.') {
                return new Parsed(null, null, name + " is not a zone setting: write edgesocket.zones.\"<zone>\".<setting>, "
                        + "e.g. edgesocket.zones.\"echo\".path.");
            }
            String key = rest.substring(1, close);
            String setting = rest.substring(close + 2);
            if (!known(setting)) {
                return new Parsed(null, null, unknownSetting(name, key, setting));
            }
            return new Parsed(key, setting, null);
        }
        // Bare: the key is everything before the longest known setting at the end.
        String[] segments = rest.split("\\.", -1);
        for (int i = 1; i < segments.length; i++) {
            String setting = String.join(".", Arrays.copyOfRange(segments, i, segments.length));
            if (known(setting)) {
                String key = String.join(".", Arrays.copyOfRange(segments, 0, i));
                if (i > 1) {
                    return new Parsed(null, null, name + ": a zone name with dots must be quoted. Write "
                            + quoted(key, setting) + " (environment variable " + envName(key, setting) + ").");
                }
                return new Parsed(key, setting, null);
            }
        }
        return new Parsed(null, null, unknownSetting(name, segments[0], rest.substring(segments[0].length()).replaceFirst("^\\.", "")));
    }

    /** A setting, or one element of a list setting ({@code websockets.subprotocols[0]}). */
    private static boolean known(String setting) {
        return SETTINGS.contains(setting.replaceFirst("\\[\\d+]$", ""));
    }

    private static String unknownSetting(String name, String key, String setting) {
        String closest = closest(setting, SETTINGS);
        return name + " is not a zone setting"
                + (closest != null ? ": did you mean " + quoted(key, closest) + "?" : ".")
                + " A zone's settings are " + String.join(", ", SETTINGS) + " (see README, Configuration).";
    }

    private static String noPath(String key, String example, String setting, Set<String> zonesWithPath) {
        String closest = closest(key, zonesWithPath);
        StringBuilder sentence = new StringBuilder(example).append(" configures a zone \"").append(key)
                .append("\" that has no path, so there is no such zone.");
        if (closest != null) {
            sentence.append(" Did you mean the zone \"").append(closest).append("\": ")
                    .append(quoted(closest, setting)).append('?');
        } else if (!zonesWithPath.isEmpty()) {
            sentence.append(" The zones are ").append(String.join(", ", zonesWithPath)).append('.');
        }
        sentence.append(" A new zone needs ").append(quoted(key, "path")).append(" and ").append(quoted(key, "script"))
                .append('.');
        return sentence.toString();
    }

    static String quoted(String key, String setting) {
        return PREFIX + "\"" + key + "\"." + setting;
    }

    private static String envName(String key, String setting) {
        return ("EDGESOCKET_ZONES__" + key.replaceAll("[^A-Za-z0-9]", "_") + "__"
                + setting.replaceAll("[^A-Za-z0-9]", "_")).toUpperCase(Locale.ROOT);
    }

    /** The candidate within a third of the word's length in edits, if any. */
    static String closest(String word, Set<String> candidates) {
        String best = null;
        int bestDistance = Math.max(2, word.length() / 3) + 1;
        for (String candidate : candidates) {
            int d = distance(word, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** The kebab-case names of a mapping interface's members, groups flattened with dots. */
    private static TreeSet<String> settings(Class<?> type, String prefix, TreeSet<String> into) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || method.isSynthetic() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            WithName withName = method.getAnnotation(WithName.class);
            String name = prefix + (withName != null ? withName.value() : kebab(method.getName()));
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getEnclosingClass() == EdgesocketConfig.class) {
                settings(returned, name + ".", into);
            } else {
                into.add(name);
            }
        }
        return into;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
