package dev.edgesocket.js;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;

import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.UpgradeOptions;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;
import io.netty.channel.EventLoop;

/**
 * The Java half of the handler's {@code Request} and of the {@code Response} it settles to: runs the handler for
 * a request, upgrades it when the script asks, and turns the response object back into the server's.
 */
final class RequestBridge {

    /**
     * One request the handler is answering, which the runtime holds as a handle: the upgrade it made, and how its
     * answer settled. The answer is already there when the handler's promise settled in its own turn; else
     * {@link #later} completes on the loop when it settles. Touched on the loop only.
     */
    static final class Exchange {
        private final Request request;
        private WebSocketUpgrade upgrade;
        private boolean settled;
        private Response response;
        private Throwable failure;
        // Set once the handler returned: a promise that settles later completes this future instead.
        private CompletableFuture<Response> later;

        private Exchange(Request request) {
            this.request = request;
        }

        private void settle() {
            settled = true;
            if (later == null) {
                return;
            }
            if (failure != null) {
                later.completeExceptionally(failure);
            } else {
                later.complete(response);
            }
        }
    }

    /** {@code null} for the context that checks the script at start: it answers no request. */
    private final EventLoop loop;
    private final Callbacks callbacks;
    private final ScriptErrors errors;
    private final Natives.Entries entries;

    RequestBridge(EventLoop loop, Callbacks callbacks, ScriptErrors errors, Natives.Entries entries) {
        this.loop = loop;
        this.callbacks = callbacks;
        this.errors = errors;
        this.entries = entries;
    }

    /**
     * Runs the handler. The stage is already complete when its promise settled in the handler's own turn (no
     * future is made for it then beyond the completed one); else it completes on the loop when the promise
     * settles.
     */
    CompletionStage<Response> serve(Request request) throws Exception {
        Exchange exchange = new Exchange(request);
        List<Object> headers = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            for (String value : values) {
                headers.add(ProxyArray.fromArray(name, value));
            }
        });
        Value serveEntry = entries.serveEntry();
        Value entered = callbacks.enter(null, () -> serveEntry.execute(exchange, request.url(), request.method(),
                ProxyArray.fromList(headers)));
        if (entered == null && !exchange.settled) { // stopped or broken before the handler could settle (logged)
            throw new JsScriptException("The handler of " + errors.name() + " was stopped before it answered.");
        }
        if (!exchange.settled) {
            exchange.later = new CompletableFuture<>();
            return exchange.later;
        }
        if (exchange.failure instanceof Exception e) {
            throw e;
        }
        if (exchange.failure != null) {
            throw new JsScriptException(exchange.failure.getMessage());
        }
        return CompletableFuture.completedFuture(exchange.response);
    }

    /**
     * {@code request.upgradeWebSocket()}: the socket's handle. A negative idle timeout means none was given. Java's
     * exceptions (a refused handshake, a bad idleTimeout) reach the handler's caller as they are.
     */
    WebSocket upgrade(Exchange exchange, String protocol, double idle) {
        UpgradeOptions options = new UpgradeOptions(protocol, idle < 0 ? null : (int) idle);
        exchange.upgrade = exchange.request.upgradeWebSocket(options);
        return exchange.upgrade.socket();
    }

    /**
     * A middleware sends the request it was given (its headers as {@code headerLines}, {@code [name, value]} pairs
     * as the script's Headers hold them) to the zone's origin. The answer enters the context later, on the loop,
     * through {@code rt.originAnswer(pending, ...)}: never in this turn, even when the stage fails at once.
     * Returns null, or a sentence when the request cannot go as it is (the runtime throws it as a TypeError).
     */
    String forward(Exchange exchange, String method, String url, Value headerLines, Value pending) {
        Request request = exchange.request;
        // The Java API forwards the client's method and URL: a middleware may change the headers only.
        if (!method.equals(request.method())) {
            return "A request goes to the origin with the client's method (" + request.method() + "), not " + method
                    + ": a middleware may change its headers only.";
        }
        if (!url.equals(request.url())) {
            return "A request goes to the origin with the client's URL (" + request.url() + "), not " + url
                    + ": a middleware may change its headers only.";
        }
        Map<String, String> wanted = new LinkedHashMap<>();
        for (long i = 0; i < headerLines.getArraySize(); i++) {
            Value line = headerLines.getArrayElement(i);
            wanted.merge(line.getArrayElement(0).asString(), line.getArrayElement(1).asString(),
                    (a, b) -> a + ", " + b);
        }
        Request changed = request;
        for (String name : request.headers().keySet()) {
            if (!wanted.containsKey(name.toLowerCase(Locale.ROOT))) {
                changed = changed.withoutHeader(name);
            }
        }
        for (Map.Entry<String, String> header : wanted.entrySet()) {
            // Lines the script left as they were stay as the client sent them (several lines of a name included).
            if (!header.getValue().equals(String.join(", ", request.headers(header.getKey())))) {
                changed = changed.withHeader(header.getKey(), header.getValue());
            }
        }
        CompletionStage<Response> answer;
        try {
            answer = changed.forwardToOrigin();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        Value settle = entries.originAnswer();
        answer.whenComplete((response, failure) -> loop.execute(() -> {
            if (callbacks.closed()) {
                return;
            }
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                callbacks.enter(null, () -> settle.execute(pending, null, 0, null, String.valueOf(cause.getMessage())));
                return;
            }
            List<Object> lines = new ArrayList<>();
            for (Map.Entry<String, String> header : response.headers()) {
                lines.add(ProxyArray.fromArray(header.getKey(), header.getValue()));
            }
            // A body held here (a refusal, a 502's sentence) goes as text; a streamed one stays behind the handle.
            Object held = response.streamedBody() == null ? response.bodyText() : null;
            callbacks.enter(null, () -> settle.execute(pending, response, response.status(), ProxyArray.fromList(lines),
                    held));
        }));
        return null;
    }

    /** The handler's promise resolved to a Response, in the runtime's plain shape. */
    void respond(Exchange exchange, Value response) {
        try {
            exchange.response = response(response, exchange.upgrade);
        } catch (RuntimeException e) {
            exchange.failure = e;
        }
        exchange.settle();
    }

    /** The handler threw or its promise rejected (or resolved to something else than a Response). */
    void fail(Exchange exchange, Value error, String stack) {
        exchange.failure = failure(error, stack);
        exchange.settle();
    }

    /** The exception for a rejected handler: the Java one a native threw (say a refused upgrade), or the JS stack. */
    private Throwable failure(Value error, String stack) {
        if (error != null && error.isHostObject() && error.asHostObject() instanceof RuntimeException e) {
            return e;
        }
        return new JsScriptException(errors.rewrite(stack));
    }

    /** The server's response for {@code {upgrade, status, headers: [[name, value]...], body}}. */
    private static Response response(Value r, WebSocketUpgrade upgrade) {
        Value headers = r.getMember("headers");
        Response response;
        boolean binaryBody = false;
        Value origin = r.getMember("origin");
        Response fromOrigin = origin != null && origin.isHostObject() && origin.asHostObject() instanceof Response o
                ? o : null;
        if (fromOrigin != null) {
            // The origin's answer, its status and headers as the script left them, its body streaming through.
            response = Response.streamed(r.getMember("status").asInt(), List.of(), fromOrigin.streamedBody());
        } else if (r.getMember("upgrade").asBoolean()) {
            if (upgrade == null) {
                throw new JsScriptException("The handler returned an upgrade response of another request.");
            }
            response = upgrade.response();
        } else {
            int status = r.getMember("status").asInt();
            Value body = r.getMember("body");
            if (body.isNull()) {
                response = Response.status(status);
            } else if (body.isString()) {
                response = Response.status(status).withBody(body.asString());
            } else {
                String type = "application/octet-stream";
                for (long i = 0; i < headers.getArraySize(); i++) {
                    Value line = headers.getArrayElement(i);
                    if (line.getArrayElement(0).asString().equals("content-type")) {
                        type = line.getArrayElement(1).asString();
                    }
                }
                response = Response.bytes(status, bytes(body), type);
                binaryBody = true;
            }
        }
        for (long i = 0; i < headers.getArraySize(); i++) {
            Value line = headers.getArrayElement(i);
            String name = line.getArrayElement(0).asString();
            // Vert.x counts a held body itself: a length copied from the origin's headers would be wrong.
            boolean held = fromOrigin == null && !r.getMember("upgrade").asBoolean();
            if (!(binaryBody && name.equals("content-type")) && !(held && name.equals("content-length"))) {
                response = response.withHeader(name, line.getArrayElement(1).asString());
            }
        }
        return response;
    }

    /** The bytes of a body in the runtime's {@code [arrayBuffer, offset, length]}. */
    private static byte[] bytes(Value body) {
        return Natives.Args.read(body.getArrayElement(0), body.getArrayElement(1).asInt(),
                body.getArrayElement(2).asInt());
    }
}
