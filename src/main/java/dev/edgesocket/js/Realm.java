package dev.edgesocket.js;

import java.util.concurrent.CompletionStage;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import io.netty.channel.EventLoop;

/**
 * One JavaScript context of a zone, bound to one event loop: the runtime and the zone's script, evaluated once, and
 * every callback of the sockets, requests, timers and channels of that loop. Only its loop's thread enters it (no
 * lock); the watchdog's thread only reads and interrupts through {@link Callbacks}.
 * <p>
 * The realm only sets the context up and wires its parts, each with one job: {@link RequestBridge} (the handler),
 * {@link SocketBridge} (WebSocket), {@link ChannelBridge} (BroadcastChannel), {@link Timers}, {@link Callbacks}
 * (entering the context, for the watchdog) and {@link ScriptConsole}; {@link Natives} declares what the runtime's
 * JavaScript ({@link RuntimeScripts}) may call of them.
 */
final class Realm implements AutoCloseable {

    private final EventLoop loop;
    private final Context context;
    private final Callbacks callbacks;
    private final Timers timers;
    private final ChannelBridge channels;
    private final RequestBridge requests;

    /**
     * Evaluates the runtime and the script.
     *
     * @param loop {@code null} for the context that checks the script at start: its timers never fire
     * @throws IllegalStateException with the script's file and line when it fails or does not call serve
     */
    Realm(JsZoneScript script, Context context, EventLoop loop) {
        this.loop = loop;
        this.context = context;
        JsScriptLoader loader = script.loader();
        ScriptErrors errors = new ScriptErrors(script.name(), script.lines());
        Value namespace = loader.runtime().namespace(context);
        Natives.Entries entries = new Natives.Entries(namespace);
        this.callbacks = new Callbacks(script.zone(), context, errors, entries, loader.maxCallbackMillis());
        this.timers = new Timers(loop, callbacks, entries);
        this.channels = new ChannelBridge(loop, callbacks, entries, loader::channels);
        this.requests = new RequestBridge(loop, callbacks, errors, entries);
        Natives natives = new Natives(new ScriptConsole(script.zone(), callbacks, errors), callbacks, timers, requests,
                new SocketBridge(loop, callbacks, entries), channels, loader.random());
        loader.runtime().evaluate(context, natives, namespace);
        entries.check();
        boolean served;
        try {
            Value module = context.eval(script.moduleSource());
            Value runModule = entries.runModule();
            served = callbacks.enter(null, () -> runModule.execute(module)).asBoolean();
        } catch (PolyglotException e) {
            throw new IllegalStateException("The script " + script.name() + " of zone '" + script.zone()
                    + "' failed while loading: " + errors.describe(e), e);
        }
        if (!served) {
            throw new IllegalStateException("The script " + script.name() + " of zone '" + script.zone()
                    + "' never calls BunnySDK.net.http.serve(handler) or servePullZone(), so it cannot answer requests.");
        }
    }

    /** Runs the handler: see {@link RequestBridge#serve}. */
    CompletionStage<Response> serve(Request request) throws Exception {
        return requests.serve(request);
    }

    /** What the watchdog reads and interrupts. */
    Callbacks callbacks() {
        return callbacks;
    }

    @Override
    public void close() {
        callbacks.close();
        if (loop == null || loop.inEventLoop()) {
            timers.close();
            channels.closeAll();
        }
        context.close(true);
    }
}
