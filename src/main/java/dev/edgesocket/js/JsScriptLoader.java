package dev.edgesocket.js;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

import dev.edgesocket.channels.ChannelHub;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.ScriptLoader;

/**
 * Zones whose script is a file: {@code file:scripts/chat.ts} or {@code classpath:scripts/echo.js}. Owns what the
 * JavaScript zones share: the GraalJS engine (parsed code is shared by all contexts), the TypeScript compiler
 * while zones load, the runtime's JavaScript ({@link RuntimeScripts}), and the {@link Watchdog} that interrupts a
 * callback running past {@code edgesocket.js.max-callback-time}.
 */
@Singleton
public class JsScriptLoader implements ScriptLoader {

    private static final Logger LOG = Logger.getLogger(JsScriptLoader.class);
    /** Scripts reach JavaScript's own objects and the runtime's; of Java, only the bytes of buffers handed to them. */
    static final HostAccess HOST_ACCESS = HostAccess.newBuilder().allowBufferAccess(true).build();

    private final Duration maxCallbackTime;
    // The zones loaded at start: bounded by the configuration.
    private final List<JsZoneScript> scripts = new CopyOnWriteArrayList<>();
    // getRandomValues and the like, for every context of the process.
    private final SecureRandom random = new SecureRandom();
    private Engine engine;
    private RuntimeScripts runtime;
    private TypeScriptCompiler compiler;
    // Opened once per process, so an untrusted directory is reported by one WARN (null until a script loads).
    private TranspileCache cache;
    private Watchdog watchdog;

    // BroadcastChannel for scripts: created on a script's first `new BroadcastChannel(...)`.
    private final Instance<ChannelHub> channels;

    @Inject
    public JsScriptLoader(EdgesocketConfig config, Instance<ChannelHub> channels) {
        this.maxCallbackTime = config.js().maxCallbackTime();
        this.channels = channels;
    }

    ChannelHub channels() {
        return channels.get();
    }

    @Override
    public synchronized Optional<Loaded> load(String zone, String spec) {
        if (!ScriptSource.isFileSpec(spec)) {
            return Optional.empty();
        }
        ScriptSource source = ScriptSource.read(zone, spec);
        if (cache == null) {
            cache = TranspileCache.open(Path.of(System.getProperty("java.io.tmpdir"), "edgesocket-ts-cache"));
        }
        if (compiler == null) {
            compiler = new TypeScriptCompiler(cache);
        }
        TypeScriptCompiler.Output output = compiler.compile(source);
        start();
        JsZoneScript script = new JsZoneScript(this, zone, source.name(), output.code(), output.lines());
        script.check();
        scripts.add(script);
        return Optional.of(new Loaded(script, Dispatch.EVENT_LOOP));
    }

    @Override
    public synchronized void loaded() {
        if (compiler != null) {
            compiler.close(); // its context holds the whole TypeScript compiler
            compiler = null;
        }
    }

    private void start() {
        if (engine != null) {
            return;
        }
        engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
        runtime = RuntimeScripts.load();
        watchdog = new Watchdog(maxCallbackTime, scripts);
        LOG.infof("JavaScript zones run on GraalJS %s (%s); callbacks are stopped after %d ms", engine.getVersion(),
                engine.getImplementationName(), maxCallbackTime.toMillis());
    }

    Context newContext() {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HOST_ACCESS)
                .allowIO(IOAccess.NONE)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(org.graalvm.polyglot.EnvironmentAccess.NONE)
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .build();
    }

    RuntimeScripts runtime() {
        return runtime;
    }

    SecureRandom random() {
        return random;
    }

    long maxCallbackMillis() {
        return maxCallbackTime.toMillis();
    }

    @PreDestroy
    synchronized void close() {
        if (watchdog != null) {
            watchdog.close();
        }
        scripts.forEach(JsZoneScript::close);
        scripts.clear();
        if (compiler != null) {
            compiler.close();
        }
        if (engine != null) {
            engine.close(true);
        }
    }
}
