package dev.edgesocket.js;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The runtime's JavaScript: the web APIs a zone's script sees, one file per API under
 * {@code src/main/resources/dev/edgesocket/js/runtime/}, evaluated in every context in the order of {@link #FILES}.
 * <p>
 * Each file is one function expression {@code (function (ops, rt) { ... })}: {@code ops} are the natives
 * {@link Natives} declares, {@code rt} the runtime's own namespace, where a file leaves what later files and the
 * Java side ({@link Natives.Entries}) use. Neither is a global, so scripts reach neither. Each file keeps its own
 * name in stack traces ({@code edgesocket-runtime/60-websocket.js:12}); the script's frames keep the script's.
 */
final class RuntimeScripts {

    /**
     * The files in load order: a file may use at load time only what the files above it left in {@code rt}.
     * A new web API is a new file here. {@code NativesContractTest} checks that this list and the directory agree.
     */
    static final List<String> FILES = List.of(
            "00-console.js",
            "10-timers.js",
            "20-encoding.js",
            "25-crypto.js",
            "30-url.js",
            "40-events.js",
            "50-fetch-types.js",
            "60-websocket.js",
            "70-broadcast-channel.js",
            "80-sdk.js");

    /** The resource directory, relative to this class. */
    static final String DIRECTORY = "runtime/";

    /** A namespace without a prototype: a name no file defined reads as undefined, not as Object's. */
    private static final Source NAMESPACE = Source.newBuilder("js", "Object.create(null)", "edgesocket-runtime/rt")
            .buildLiteral();

    private final List<Source> sources;

    private RuntimeScripts(List<Source> sources) {
        this.sources = sources;
    }

    /** Reads {@link #FILES} from the class path. */
    static RuntimeScripts load() {
        return load(FILES, name -> RuntimeScripts.class.getResourceAsStream(DIRECTORY + name));
    }

    /**
     * Reads {@code files} through {@code open} (null for a missing file).
     *
     * @throws IllegalStateException naming the file when one is missing or unreadable: the server does not start
     */
    static RuntimeScripts load(List<String> files, Function<String, InputStream> open) {
        List<Source> sources = new ArrayList<>(files.size());
        for (String file : files) {
            String path = "dev/edgesocket/js/" + DIRECTORY + file;
            try (InputStream in = open.apply(file)) {
                if (in == null) {
                    throw new IllegalStateException("The JavaScript runtime file " + path
                            + " is missing from the build; RuntimeScripts.FILES lists it, so JavaScript zones cannot start.");
                }
                sources.add(Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "edgesocket-runtime/" + file).buildLiteral());
            } catch (IOException e) {
                throw new IllegalStateException("The JavaScript runtime file " + path + " could not be read: "
                        + e.getMessage(), e);
            }
        }
        return new RuntimeScripts(List.copyOf(sources));
    }

    /** A fresh namespace for one context, made before the files run so the bridges can hold it. */
    Value namespace(Context context) {
        return context.eval(NAMESPACE);
    }

    /** Runs every file, in order, with the natives and the namespace. */
    void evaluate(Context context, Natives natives, Value namespace) {
        var ops = natives.table();
        for (Source source : sources) {
            Value file = context.eval(source);
            if (!file.canExecute()) {
                throw new IllegalStateException("The JavaScript runtime file " + source.getName()
                        + " is not one function expression (function (ops, rt) { ... })");
            }
            file.execute(ops, namespace);
        }
    }
}
