package dev.edgesocket.js;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A script's text and the name its errors carry ({@code scripts/echo.ts}), from a zone's {@code file:} or
 * {@code classpath:} spec.
 */
record ScriptSource(String name, String text) {

    static boolean isFileSpec(String spec) {
        return spec.startsWith("file:") || spec.startsWith("classpath:");
    }

    boolean typeScript() {
        return name.endsWith(".ts") || name.endsWith(".mts") || name.endsWith(".tsx");
    }

    /** Reads the script; a sentence for the operator when it is not there. */
    static ScriptSource read(String zone, String spec) {
        if (spec.startsWith("classpath:")) {
            String resource = spec.substring("classpath:".length()).replaceFirst("^/+", "");
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Zone '" + zone + "' names the script " + spec
                            + ", but the class path has no " + resource + ".");
                }
                return checked(zone, spec, resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("Zone '" + zone + "' could not read " + spec + ": " + e.getMessage(), e);
            }
        }
        String file = spec.substring("file:".length());
        Path path = Path.of(file);
        try {
            return checked(zone, spec, file, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Zone '" + zone + "' names the script " + spec + ", but "
                    + path.toAbsolutePath() + " cannot be read (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ").", e);
        }
    }

    private static ScriptSource checked(String zone, String spec, String name, String text) {
        if (!(name.endsWith(".js") || name.endsWith(".mjs") || name.endsWith(".ts") || name.endsWith(".mts"))) {
            throw new IllegalStateException("Zone '" + zone + "' names the script " + spec
                    + ": a script file ends with .js, .mjs, .ts or .mts.");
        }
        return new ScriptSource(name, text);
    }
}
