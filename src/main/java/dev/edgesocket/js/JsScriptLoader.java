package dev.edgesocket.js;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;
import org.jboss.logging.Logger;

import dev.edgesocket.channels.ChannelHub;
import dev.edgesocket.config.EdgesocketConfig;
import dev.edgesocket.config.EdgesocketConfig.Dispatch;
import dev.edgesocket.zone.ScriptLoader;

/**
 * Zones whose script is a file: {@code file:scripts/chat.ts} or {@code classpath:scripts/echo.js}. Owns what the
 * JavaScript zones share: the GraalJS engine (parsed code is shared by all contexts), the TypeScript compiler
 * while zones load, and the watchdog that interrupts a callback running past {@code edgesocket.js.max-callback-time}.
 */
@Singleton
public class JsScriptLoader implements ScriptLoader {

    private static final Logger LOG = Logger.getLogger(JsScriptLoader.class);
    /** Scripts reach JavaScript's own objects and the runtime's; of Java, only the bytes of buffers handed to them. */
    private static final HostAccess HOST_ACCESS = HostAccess.newBuilder().allowBufferAccess(true).build();

    private final Duration maxCallbackTime;
    // The zones loaded at start: bounded by the configuration.
    private final List<JsZoneScript> scripts = new CopyOnWriteArrayList<>();
    private Engine engine;
    private Source runtimeSource;
    private TypeScriptCompiler compiler;
    // Opened once per process, so an untrusted directory is reported by one WARN (null until a script loads).
    private TranspileCache cache;
    private ScheduledExecutorService watchdog;

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
        try (InputStream in = JsScriptLoader.class.getResourceAsStream("runtime.js")) {
            runtimeSource = Source.newBuilder("js", new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "edgesocket-runtime.js").buildLiteral();
        } catch (IOException e) {
            throw new IllegalStateException("The JavaScript runtime could not be read: " + e.getMessage(), e);
        }
        long period = Math.max(10, maxCallbackTime.toMillis() / 4);
        watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "edgesocket-js-watchdog");
            t.setDaemon(true);
            return t;
        });
        watchdog.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
        LOG.infof("JavaScript zones run on GraalJS %s (%s); callbacks are stopped after %d ms", engine.getVersion(),
                engine.getImplementationName(), maxCallbackTime.toMillis());
    }

    /** Interrupts every callback that has run past the limit (on the watchdog's thread). */
    private void watch() {
        long now = System.nanoTime();
        long limit = maxCallbackTime.toNanos();
        for (JsZoneScript script : scripts) {
            for (Realm realm : script.realms()) {
                long since = realm.busySince();
                if (since != 0 && now - since > limit) {
                    try {
                        realm.interrupt(since, Duration.ofSeconds(1));
                    } catch (TimeoutException e) {
                        LOG.warnf("Zone '%s': a runaway callback of %s did not stop within a second of its interrupt",
                                script.zone(), script.name());
                    } catch (PolyglotException | IllegalStateException e) {
                        // the context closed meanwhile
                    }
                }
            }
        }
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

    Source runtimeSource() {
        return runtimeSource;
    }

    long maxCallbackMillis() {
        return maxCallbackTime.toMillis();
    }

    @PreDestroy
    synchronized void close() {
        if (watchdog != null) {
            watchdog.shutdownNow();
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
