package dev.edgesocket.js;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * The contract between the runtime's JavaScript files and {@link Natives}, read from the sources: every op a file
 * calls is declared and every declared op is called, the file list and the directory agree, every entry Java
 * calls is defined, and private state sits under Symbols, not {@code _underscore} properties.
 */
class NativesContractTest {

    private static final Path DIRECTORY = Path.of("src/main/resources/dev/edgesocket/js/runtime");

    private static String source(String file) throws IOException {
        return Files.readString(DIRECTORY.resolve(file));
    }

    private static Natives natives() {
        return new Natives(null, null, null, null, null, null, null);
    }

    @Test
    void theOpsTheFilesCallAreTheOpsNativesDeclares() throws IOException {
        Set<String> called = new TreeSet<>();
        Pattern op = Pattern.compile("\\bops\\.(\\w+)");
        for (String file : RuntimeScripts.FILES) {
            Matcher m = op.matcher(source(file));
            while (m.find()) {
                called.add(m.group(1));
            }
        }
        assertEquals(new TreeSet<>(natives().names()), called);
    }

    @Test
    void theFileListIsTheDirectoryInNumberedOrder() throws IOException {
        List<String> present = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            files.map(f -> f.getFileName().toString()).sorted().forEach(present::add);
        }
        assertEquals(present, RuntimeScripts.FILES, "every file in runtime/ is loaded, in the order of its number");
        for (String file : RuntimeScripts.FILES) {
            assertTrue(file.matches("\\d\\d-[a-z0-9-]+\\.js"), file);
            assertTrue(source(file).contains("(function (ops, rt) {"), file + " is one function expression of (ops, rt)");
        }
    }

    @Test
    void everyEntryJavaCallsIsDefinedByAFile() throws IOException {
        StringBuilder all = new StringBuilder();
        for (String file : RuntimeScripts.FILES) {
            all.append(source(file));
        }
        List<String> entries = new ArrayList<>(Natives.Entries.FUNCTIONS);
        entries.add(Natives.Entries.CAUGHT);
        for (String entry : entries) {
            assertTrue(Pattern.compile("\\brt\\." + entry + " = ").matcher(all).find(), "rt." + entry + " is defined");
        }
    }

    @Test
    void privateStateIsUnderSymbolsNotUnderscoreProperties() throws IOException {
        Pattern underscore = Pattern.compile("\\._[A-Za-z]|[{,]\\s*_[A-Za-z]\\w*\\s*:");
        for (String file : RuntimeScripts.FILES) {
            Matcher m = underscore.matcher(source(file));
            assertTrue(!m.find(), file + " has an underscore property: " + (m.hitEnd() ? "" : m.group()));
        }
    }

    @Test
    void aMissingFileStopsTheStartWithItsName() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RuntimeScripts.load(
                List.of("00-console.js", "90-missing.js"),
                name -> name.equals("00-console.js")
                        ? new ByteArrayInputStream("(function (ops, rt) {})".getBytes(StandardCharsets.UTF_8))
                        : null));
        assertEquals("The JavaScript runtime file dev/edgesocket/js/runtime/90-missing.js is missing from the build;"
                + " RuntimeScripts.FILES lists it, so JavaScript zones cannot start.", e.getMessage());
    }

    @Test
    void aFileThatIsNotOneFunctionStopsTheStartWithItsName() {
        RuntimeScripts runtime = RuntimeScripts.load(List.of("00-broken.js"),
                name -> new ByteArrayInputStream("1 + 1".getBytes(StandardCharsets.UTF_8)));
        try (Context context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> runtime.evaluate(context, natives(), runtime.namespace(context)));
            assertTrue(e.getMessage().contains("edgesocket-runtime/00-broken.js is not one function expression"),
                    e.getMessage());
        }
    }

    @Test
    void anErrorInTheRuntimeNamesItsFileAndLine() {
        try (Context context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            RuntimeScripts runtime = RuntimeScripts.load();
            runtime.evaluate(context, natives(), runtime.namespace(context));
            String stack = context.eval("js", "try { new TextDecoder('latin1'); } catch (e) { e.stack }").asString();
            assertTrue(stack.contains("Only utf-8 is supported") && stack.contains("(edgesocket-runtime/20-encoding.js:"),
                    stack);
        }
    }

    /** The runtime hands scripts' objects the Java socket, channel and request as handles: inert in a script. */
    @Test
    void aHandleIsOpaqueToScripts() {
        try (Context context = Context.newBuilder("js").allowHostAccess(JsScriptLoader.HOST_ACCESS)
                .option("engine.WarnInterpreterOnly", "false").build()) {
            context.getBindings("js").putMember("handle", new java.util.ArrayList<>(List.of("secret")));
            assertEquals("undefined undefined undefined 0", context.eval("js",
                    "[typeof handle.size, typeof handle.get, typeof handle.getClass, Object.keys(handle).length].join(' ')")
                    .asString());
        }
    }

    @Test
    void theFilesRunInOrderAndDefineTheWebGlobals() {
        try (Context context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            RuntimeScripts runtime = RuntimeScripts.load();
            Value namespace = runtime.namespace(context);
            runtime.evaluate(context, natives(), namespace);
            new Natives.Entries(namespace).check();
            for (String global : List.of("console", "setTimeout", "setInterval", "clearTimeout", "clearInterval",
                    "queueMicrotask", "TextEncoder", "TextDecoder", "Blob", "crypto", "URL", "URLSearchParams", "Event",
                    "MessageEvent", "CloseEvent", "ErrorEvent", "EventTarget", "DOMException", "Headers", "Response",
                    "Request", "WebSocket", "BroadcastChannel", "Bunny", "BunnySDK")) {
                assertTrue(context.getBindings("js").hasMember(global), global);
            }
            // A few web shapes that need no natives.
            assertEquals("https://example.com:8443/path/x?a=1&b=two+words&c=3#h", context.eval("js", """
                    const u = new URL("/path/x?a=1&b=two%20words#h", "https://example.com:8443/base");
                    u.searchParams.append("c", "3");
                    u.href""").asString());
            assertEquals("a, b|true|1", context.eval("js", """
                    const h = new Headers([["X-A", "a"], ["x-a", "b"]]);
                    const r = new Response(new Uint8Array([120]), { headers: h });
                    [h.get("x-a"), r.headers.has("x-a"), Object.getOwnPropertySymbols(new Blob(["x"])).length].join("|")""")
                    .asString());
            // Nothing of the runtime's private state is an own string-keyed property.
            assertEquals("", context.eval("js", """
                    [new URL("http://a/"), new URLSearchParams("a=1"), new Headers(), new Response("x"),
                     new Request("http://a/"), new Blob(["x"]), new EventTarget(), new Event("e")]
                      .flatMap((o) => Object.getOwnPropertyNames(o).filter((n) => n.startsWith("_"))).join(",")""")
                    .asString());
        }
    }
}
