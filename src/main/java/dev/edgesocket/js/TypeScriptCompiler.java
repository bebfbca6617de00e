package dev.edgesocket.js;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.jboss.logging.Logger;

/**
 * Turns a script (TypeScript, or JavaScript with {@code import}) into CommonJS that the zone's contexts run,
 * with the TypeScript compiler's own {@code transpileModule} (npm's {@code typescript}, run in GraalJS).
 * Types are erased, nothing is type-checked; a syntax error stops the load with the script's line.
 * <p>
 * The compiler is loaded once, when the first script needs it, and closed with {@link #close()} after the zones
 * are loaded. Results are cached per file content on disk ({@link TranspileCache}, a directory only this server's
 * user can write), so a restart with the same scripts does not load the compiler at all.
 */
final class TypeScriptCompiler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TypeScriptCompiler.class);
    static final String VERSION = "5.9.3";
    private static final String RESOURCE = "META-INF/resources/_static/typescript/" + VERSION + "/lib/typescript.js";
    private static final String TRANSPILE = """
            (function (text, fileName) {
              const out = ts.transpileModule(text, {
                fileName,
                reportDiagnostics: true,
                compilerOptions: {
                  target: ts.ScriptTarget.ES2022,
                  module: ts.ModuleKind.CommonJS,
                  sourceMap: true,
                  esModuleInterop: false,
                  isolatedModules: true,
                  allowJs: true,
                },
              });
              const errors = (out.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
              if (errors.length > 0) {
                const d = errors[0];
                const where = d.file ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
                return { error: fileName + ":" + (where.line + 1) + ":" + (where.character + 1) + ": "
                    + ts.flattenDiagnosticMessageText(d.messageText, "\\n") };
              }
              return { code: out.outputText.replace(/\\n\\/\\/# sourceMappingURL=.*\\s*$/, "\\n"),
                       mappings: JSON.parse(out.sourceMapText).mappings };
            })
            """;

    /** A transpiled script: CommonJS code and the map of its lines to the script's. */
    record Output(String code, SourceLines lines) {
    }

    private final TranspileCache cache;
    private Engine engine;
    private Context context;
    private Value transpile;

    TypeScriptCompiler(TranspileCache cache) {
        this.cache = cache;
    }

    /** The script as CommonJS; throws {@link IllegalStateException} with file:line:column for a syntax error. */
    Output compile(ScriptSource source) {
        String key = key(source);
        String code = key + ".js";
        String map = key + ".map";
        Optional<String> cachedCode = cache.read(code);
        Optional<String> cachedMap = cachedCode.isPresent() ? cache.read(map) : Optional.empty();
        if (cachedCode.isPresent() && cachedMap.isPresent()) {
            return new Output(cachedCode.get(), SourceLines.fromMappings(cachedMap.get()));
        }
        long start = System.nanoTime();
        Value result;
        try {
            result = transpiler().execute(source.text(), source.name());
        } catch (PolyglotException e) {
            throw new IllegalStateException("TypeScript could not transpile " + source.name() + ": " + e.getMessage(), e);
        }
        if (result.hasMember("error")) {
            throw new IllegalStateException("The script " + result.getMember("error").asString());
        }
        String text = result.getMember("code").asString();
        String mappings = result.getMember("mappings").asString();
        LOG.infof("Transpiled %s in %d ms", source.name(), (System.nanoTime() - start) / 1_000_000);
        cache.write(code, text);
        cache.write(map, mappings);
        return new Output(text, SourceLines.fromMappings(mappings));
    }

    private Value transpiler() {
        if (transpile == null) {
            long start = System.nanoTime();
            String compiler;
            try (InputStream in = TypeScriptCompiler.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("The TypeScript compiler (" + RESOURCE + ") is not on the class path.");
                }
                compiler = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("The TypeScript compiler could not be read: " + e.getMessage(), e);
            }
            engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
            context = Context.newBuilder("js").engine(engine).build();
            context.eval(Source.newBuilder("js", compiler, "typescript.js").buildLiteral());
            transpile = context.eval("js", TRANSPILE);
            LOG.infof("Loaded the TypeScript compiler %s in %d ms", VERSION, (System.nanoTime() - start) / 1_000_000);
        }
        return transpile;
    }

    private static String key(ScriptSource source) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((VERSION + "\0" + source.name() + "\0" + source.text()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        transpile = null;
        if (context != null) {
            context.close();
            context = null;
        }
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }
}
