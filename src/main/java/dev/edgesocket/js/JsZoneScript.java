package dev.edgesocket.js;

import java.util.Collection;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.graalvm.polyglot.Source;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.vertx.VertxInternals;
import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;

/**
 * A zone's JavaScript (or TypeScript) script: one context per event loop, made when the loop serves its first
 * request. A request and every event of its socket run on that request's loop, in that loop's context, so a
 * context is only ever entered by its own thread.
 */
final class JsZoneScript implements EdgeScript {

    private final JsScriptLoader loader;
    private final String zone;
    private final String name;
    private final Source moduleSource;
    private final SourceLines lines;
    // One per event loop: bounded by the number of event loops.
    private final ConcurrentMap<EventLoop, Realm> realms = new ConcurrentHashMap<>();

    JsZoneScript(JsScriptLoader loader, String zone, String name, String code, SourceLines lines) {
        this.loader = loader;
        this.zone = zone;
        this.name = name;
        this.lines = lines;
        // The wrapper stays on the first line, so the code's lines keep their numbers.
        this.moduleSource = Source.newBuilder("js", "(function (exports, require, module) {" + code + "\n})", name)
                .buildLiteral();
    }

    /** The handler's response when its promise settled in its own turn; use {@link #serveAsync} for any other. */
    @Override
    public Response serve(Request request) throws Exception {
        CompletionStage<Response> answer = serveAsync(request);
        var done = answer.toCompletableFuture();
        if (!done.isDone()) {
            throw new JsScriptException("The handler of " + name + " did not settle its response in its own turn.");
        }
        try {
            return done.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** The handler's promise as a stage, completed on the request's event loop when the promise settles. */
    @Override
    public CompletionStage<Response> serveAsync(Request request) throws Exception {
        EventLoop loop = VertxInternals.eventLoop(Vertx.currentContext());
        if (loop == null) {
            throw new IllegalStateException("A JavaScript zone runs on the event loops; zone '" + zone
                    + "' was served elsewhere.");
        }
        Realm realm = realms.get(loop);
        if (realm == null) {
            realm = new Realm(this, loader.newContext(), loop);
            realms.put(loop, realm);
        }
        return realm.serve(request);
    }

    /** Evaluates the script once in a context of its own, so that a broken script stops the server at start. */
    void check() {
        try (Realm realm = new Realm(this, loader.newContext(), null)) {
            // evaluated and closed
        }
    }

    Collection<Realm> realms() {
        return realms.values();
    }

    void close() {
        realms.values().forEach(Realm::close);
        realms.clear();
    }

    JsScriptLoader loader() {
        return loader;
    }

    String zone() {
        return zone;
    }

    String name() {
        return name;
    }

    Source moduleSource() {
        return moduleSource;
    }

    SourceLines lines() {
        return lines;
    }
}
