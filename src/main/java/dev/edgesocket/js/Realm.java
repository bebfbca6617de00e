package dev.edgesocket.js;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyArray;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;
import org.jboss.logging.Logger;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.UpgradeOptions;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One JavaScript context of a zone, bound to one event loop: the zone's script, evaluated once, and every
 * callback of the sockets, requests and timers of that loop. Only its loop's thread enters it (no lock); the
 * watchdog thread only reads {@link #busySince} and interrupts a callback that runs too long.
 */
final class Realm implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Realm.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JsZoneScript script;
    /** {@code null} for the context that checks the script at start: its timers never fire. */
    private final EventLoop loop;
    private final Context context;
    private final Value serveEntry;
    private final Value socketEvent;
    private final Value fireTimer;
    private final Value channelEvent;
    // The BroadcastChannel objects the script opened in this context (closed with it); loop only.
    private final Set<BroadcastChannel> channels = new HashSet<>();
    /** runtime.js's slot for the exception a callback caught last (the watchdog's interrupt, for its frames). */
    private final Value caught;
    // Pending timers by id: removed when they fire or are cleared. Touched on the loop only.
    private final Map<Integer, ScheduledFuture<?>> timers = new HashMap<>();
    // The socket the running callback belongs to (closed with 1011 if it runs away); loop only.
    private WebSocket owner;
    private int depth;
    /** When the outermost running callback started, or 0 when the context is idle. */
    private volatile long busySince;
    /** Set by the watchdog before it interrupts the running callback; cleared when the callback has ended. */
    private volatile boolean interrupting;
    private volatile boolean closed;

    /**
     * Evaluates the runtime and the script.
     *
     * @throws IllegalStateException with the script's file and line when it fails or does not call serve
     */
    Realm(JsZoneScript script, Context context, EventLoop loop) {
        this.script = script;
        this.loop = loop;
        this.context = context;
        Value bridge = context.eval(script.loader().runtimeSource()).execute(natives());
        this.serveEntry = bridge.getMember("serveEntry");
        this.socketEvent = bridge.getMember("socketEvent");
        this.fireTimer = bridge.getMember("fireTimer");
        this.channelEvent = bridge.getMember("channelEvent");
        this.caught = bridge.getMember("caught");
        boolean served;
        try {
            Value module = context.eval(script.moduleSource());
            served = enter(null, () -> bridge.getMember("runModule").execute(module)).asBoolean();
        } catch (PolyglotException e) {
            throw new IllegalStateException("The script " + script.name() + " of zone '" + script.zone()
                    + "' failed while loading: " + describe(e), e);
        }
        if (!served) {
            throw new IllegalStateException("The script " + script.name() + " of zone '" + script.zone()
                    + "' never calls BunnySDK.net.http.serve(handler), so it cannot answer requests.");
        }
    }

    /** When the running callback started (System.nanoTime), or 0. */
    long busySince() {
        return busySince;
    }

    /** Interrupts the callback that started at {@code since}, if it still runs (on the watchdog's thread). */
    void interrupt(long since, java.time.Duration wait) throws java.util.concurrent.TimeoutException {
        if (busySince != since) {
            return; // it ended meanwhile
        }
        interrupting = true;
        context.interrupt(wait);
    }

    // ---------------------------------------------------------------- requests

    /**
     * Runs the handler. The stage is already complete when its promise settled in the handler's own turn (no
     * future is made for it then beyond the completed one); else it completes on this loop when the promise
     * settles.
     */
    CompletionStage<Response> serve(Request request) throws Exception {
        WebSocketUpgrade[] upgrade = new WebSocketUpgrade[1];
        // Set once the handler returned: a promise that settles later completes this future instead.
        CompletableFuture<Response>[] later = new CompletableFuture[1];
        Response[] response = new Response[1];
        Throwable[] failure = new Throwable[1];
        boolean[] settled = new boolean[1];
        ProxyExecutable ok = args -> {
            settled[0] = true;
            try {
                response[0] = response(args[0], upgrade[0]);
            } catch (RuntimeException e) {
                failure[0] = e;
            }
            if (later[0] != null) {
                settle(later[0], response[0], failure[0]);
            }
            return null;
        };
        ProxyExecutable fail = args -> {
            settled[0] = true;
            failure[0] = failure(args[0], args[1].asString());
            if (later[0] != null) {
                settle(later[0], null, failure[0]);
            }
            return null;
        };
        Map<String, Object> req = new HashMap<>();
        req.put("url", request.url());
        req.put("method", request.method());
        List<Object> headers = new ArrayList<>();
        request.headers().forEach((name, values) -> {
            for (String value : values) {
                headers.add(ProxyArray.fromArray(name, value));
            }
        });
        req.put("headers", ProxyArray.fromList(headers));
        req.put("upgrade", (ProxyExecutable) args -> {
            String protocol = args[0].isNull() ? null : args[0].asString();
            double idle = args[1].asDouble();
            // Java's exceptions (a refused handshake, a bad idleTimeout) reach the handler's caller as they are.
            UpgradeOptions options = new UpgradeOptions(protocol, idle < 0 ? null : (int) idle);
            upgrade[0] = request.upgradeWebSocket(options);
            return socketProxy(upgrade[0].socket());
        });
        Map<String, Object> done = Map.of("ok", ok, "fail", fail);
        Value entered = enter(null, () -> serveEntry.execute(ProxyObject.fromMap(req), ProxyObject.fromMap(done)));
        if (entered == null && !settled[0]) { // stopped or broken before the handler could settle (logged)
            throw new JsScriptException("The handler of " + script.name() + " was stopped before it answered.");
        }
        if (!settled[0]) {
            later[0] = new CompletableFuture<>();
            return later[0];
        }
        if (failure[0] instanceof Exception e) {
            throw e;
        }
        if (failure[0] != null) {
            throw new JsScriptException(failure[0].getMessage());
        }
        return CompletableFuture.completedFuture(response[0]);
    }

    private static void settle(CompletableFuture<Response> later, Response response, Throwable failure) {
        if (failure != null) {
            later.completeExceptionally(failure);
        } else {
            later.complete(response);
        }
    }

    /** The exception for a rejected handler: the Java one a native threw (say a refused upgrade), or the JS stack. */
    private Throwable failure(Value error, String stack) {
        if (error != null && error.isHostObject() && error.asHostObject() instanceof RuntimeException e) {
            return e;
        }
        return new JsScriptException(script.lines().rewrite(stack, script.name()));
    }

    private Response response(Value r, WebSocketUpgrade upgrade) {
        Value headers = r.getMember("headers");
        Response response;
        boolean binaryBody = false;
        if (r.getMember("upgrade").asBoolean()) {
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
                response = Response.bytes(status, read(body.getArrayElement(0), body.getArrayElement(1).asInt(),
                        body.getArrayElement(2).asInt()), type);
                binaryBody = true;
            }
        }
        for (long i = 0; i < headers.getArraySize(); i++) {
            Value line = headers.getArrayElement(i);
            String name = line.getArrayElement(0).asString();
            if (!(binaryBody && name.equals("content-type"))) {
                response = response.withHeader(name, line.getArrayElement(1).asString());
            }
        }
        return response;
    }

    // ---------------------------------------------------------------- sockets

    private ProxyObject socketProxy(WebSocket socket) {
        Map<String, Object> n = new HashMap<>();
        n.put("protocol", socket.protocol());
        n.put("url", socket.url());
        n.put("extensions", "");
        n.put("readyState", (ProxyExecutable) args -> socket.readyState().value());
        n.put("bufferedAmount", (ProxyExecutable) args -> socket.bufferedAmount());
        n.put("send", (ProxyExecutable) args -> {
            try {
                socket.send(args[0].asString());
                return null;
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        n.put("sendBinary", (ProxyExecutable) args -> {
            try {
                socket.send(read(args[0], args[1].asInt(), args[2].asInt()));
                return null;
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        n.put("close", (ProxyExecutable) args -> {
            int code = args[0].asInt();
            try {
                if (code < 0) {
                    socket.close();
                } else {
                    socket.close(code, args[1].asString());
                }
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        });
        n.put("bind", (ProxyExecutable) args -> {
            bind(socket, args[0]);
            return null;
        });
        return ProxyObject.fromMap(n);
    }

    private void bind(WebSocket socket, Value js) {
        socket.addEventListener(EventType.OPEN, e -> event(socket, () -> socketEvent.execute(js, "open")));
        socket.addEventListener(EventType.MESSAGE, e -> {
            Object data = e.data() instanceof String s ? s : ByteBuffer.wrap((byte[]) e.data());
            event(socket, () -> socketEvent.execute(js, "message", data, e.origin()));
        });
        socket.addEventListener(EventType.ERROR, e -> event(socket, () -> socketEvent.execute(js, "error", e.message())));
        socket.addEventListener(EventType.CLOSE,
                e -> event(socket, () -> socketEvent.execute(js, "close", e.code(), e.reason(), e.wasClean())));
        socket.addEventListener(EventType.DRAIN, e -> event(socket, () -> socketEvent.execute(js, "drain")));
    }

    /** Runs a socket's event in this context, on this context's loop (where the zone's dispatch puts it anyway). */
    private void event(WebSocket socket, Supplier<Value> call) {
        if (loop != null && !loop.inEventLoop()) {
            loop.execute(() -> event(socket, call));
            return;
        }
        if (!closed) {
            enter(socket, call);
        }
    }

    // ---------------------------------------------------------------- entering the context

    /**
     * Runs a callback; pending microtasks (promise reactions) run before it returns. A runaway callback is
     * interrupted by the watchdog: its socket is closed with 1011.
     */
    private Value enter(WebSocket callbackOwner, Supplier<Value> call) {
        WebSocket previous = owner;
        boolean outermost = depth == 0;
        owner = callbackOwner != null ? callbackOwner : previous;
        depth++;
        if (outermost) {
            busySince = System.nanoTime();
        }
        try {
            return call.get();
        } catch (PolyglotException e) {
            if (!outermost) {
                throw e;
            }
            if (e.isInterrupted() || e.isCancelled() || interrupting) {
                ranAway(owner, runawayLocation(e));
            } else {
                LOG.errorf("Zone '%s': the script %s threw: %s", script.zone(), script.name(), describe(e));
            }
            return null;
        } finally {
            depth--;
            if (outermost) {
                interrupting = false;
                busySince = 0;
            }
            owner = previous;
        }
    }

    private void ranAway(WebSocket socket, String where) {
        if (socket != null) {
            LOG.errorf("Zone '%s': a callback of %s ran longer than %d ms and was stopped at %s; socket %s is closed with 1011",
                    script.zone(), script.name(), script.loader().maxCallbackMillis(), where, socket.id());
            try {
                socket.close(1011, "The script ran too long.");
            } catch (RuntimeException ignored) {
                // already closed
            }
        } else {
            LOG.errorf("Zone '%s': a callback of %s ran longer than %d ms and was stopped at %s",
                    script.zone(), script.name(), script.loader().maxCallbackMillis(), where);
        }
    }

    /**
     * Where the runaway code was stopped. The interrupt is first thrown in the runaway code, and a runtime.js
     * catch may take it there; it fires again at the catch's next call, which is what reaches Java. The first
     * one, in runtime.js's slot, has the runaway code's frames.
     */
    private String runawayLocation(PolyglotException e) {
        String where = location(e);
        if (!where.equals(script.name())) {
            return where;
        }
        try {
            Value first = caught.getMember("e");
            caught.putMember("e", null);
            if (first != null && first.isException()) {
                first.throwException();
            }
        } catch (PolyglotException original) {
            return location(original);
        } catch (RuntimeException notReadable) {
            // the context is still being interrupted: the file without its line
        }
        return where;
    }

    /** The script's file:line where the exception happened, from the innermost guest frame. */
    private String location(PolyglotException e) {
        SourceSection section = e.getSourceLocation();
        if (section == null || section.getSource() == null || !section.getSource().getName().equals(script.name())) {
            // The innermost frame of the script itself (a builtin may be running on its behalf).
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                SourceSection at = frame.getSourceLocation();
                if (frame.isGuestFrame() && at != null && at.getSource() != null
                        && at.getSource().getName().equals(script.name())) {
                    section = at;
                    break;
                }
            }
        }
        if (section == null || section.getSource() == null || !section.getSource().getName().equals(script.name())) {
            return script.name();
        }
        return script.name() + ":" + script.lines().line(section.getStartLine());
    }

    private String describe(PolyglotException e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                sb.append("\n    at ").append(frame);
            }
        }
        return script.lines().rewrite(sb.toString(), script.name());
    }

    // ---------------------------------------------------------------- BroadcastChannel

    /** Opens a channel for the script's `new BroadcastChannel(name)`: a sentence when it cannot. */
    private Object openChannel(String name, Value js) {
        if (loop == null) {
            return "BroadcastChannel can be opened in the handler and in callbacks, not while the script loads.";
        }
        BroadcastChannel channel;
        try {
            channel = script.loader().channels().openOn(name, loop::execute);
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
        channels.add(channel);
        channel.addEventListener("message", e -> {
            Object data = e.data() instanceof String text ? text : ByteBuffer.wrap((byte[]) e.data());
            if (!closed) {
                enter(null, () -> channelEvent.execute(js, data));
            }
        });
        Map<String, Object> n = new HashMap<>();
        n.put("post", (ProxyExecutable) args -> post(channel, args[0].asString()));
        n.put("postBinary", (ProxyExecutable) args -> post(channel, read(args[0], args[1].asInt(), args[2].asInt())));
        n.put("close", (ProxyExecutable) args -> {
            channels.remove(channel);
            channel.close();
            return null;
        });
        return ProxyObject.fromMap(n);
    }

    private static String post(BroadcastChannel channel, Object data) {
        try {
            if (data instanceof String text) {
                channel.postMessage(text);
            } else {
                channel.postMessage((byte[]) data);
            }
            return null;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return e.getMessage();
        }
    }

    // ---------------------------------------------------------------- natives of the runtime

    private ProxyObject natives() {
        Map<String, Object> n = new HashMap<>();
        Logger console = Logger.getLogger("dev.edgesocket.js.console." + script.zone());
        n.put("log", (ProxyExecutable) args -> {
            String text = args[1].asString();
            switch (args[0].asString()) {
                case "error" -> console.errorf("[%s] %s", script.zone(), text);
                case "warn" -> console.warnf("[%s] %s", script.zone(), text);
                case "debug" -> console.debugf("[%s] %s", script.zone(), text);
                default -> console.infof("[%s] %s", script.zone(), text);
            }
            return null;
        });
        n.put("reportError", (ProxyExecutable) args -> {
            reportError(args[0].asString(), script.lines().rewrite(args[1].asString(), script.name()));
            return null;
        });
        n.put("schedule", (ProxyExecutable) args -> {
            schedule(args[0].asInt(), args[1].asLong());
            return null;
        });
        n.put("cancel", (ProxyExecutable) args -> {
            ScheduledFuture<?> timer = timers.remove(args[0].asInt());
            if (timer != null) {
                timer.cancel(false);
            }
            return null;
        });
        // Read only when a callback threw: whether the watchdog is stopping it.
        n.put("stopping", (ProxyExecutable) args -> interrupting);
        n.put("uuid", (ProxyExecutable) args -> UUID.randomUUID().toString());
        n.put("openChannel", (ProxyExecutable) args -> openChannel(args[0].asString(), args[1]));
        n.put("randomBytes", (ProxyExecutable) args -> {
            int size = args[0].asInt();
            if (size > 65536) {
                throw new IllegalArgumentException("getRandomValues fills at most 65536 bytes.");
            }
            byte[] bytes = new byte[size];
            RANDOM.nextBytes(bytes);
            return ByteBuffer.wrap(bytes);
        });
        n.put("utf8Encode", (ProxyExecutable) args -> ByteBuffer.wrap(args[0].asString().getBytes(StandardCharsets.UTF_8)));
        n.put("utf8Decode", (ProxyExecutable) args -> {
            byte[] bytes = read(args[0], args[1].asInt(), args[2].asInt());
            if (!args[3].asBoolean()) {
                return new String(bytes, StandardCharsets.UTF_8);
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        });
        return ProxyObject.fromMap(n);
    }

    private void reportError(String what, String stack) {
        if (owner != null) {
            LOG.errorf("Zone '%s': %s of socket %s threw; the socket stays open: %s", script.zone(), what, owner.id(),
                    stack);
        } else {
            LOG.errorf("Zone '%s': %s threw: %s", script.zone(), what, stack);
        }
    }

    private void schedule(int id, long delayMillis) {
        if (loop == null || closed) {
            return; // the load check's context: nothing runs later
        }
        WebSocket timerOwner = owner;
        ScheduledFuture<?> timer = loop.schedule(() -> {
            timers.remove(id);
            if (!closed) {
                enter(timerOwner, () -> fireTimer.execute(id));
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
        timers.put(id, timer);
    }

    private static byte[] read(Value buffer, int offset, int length) {
        byte[] bytes = new byte[length];
        if (length > 0) {
            buffer.readBuffer(offset, bytes, 0, length);
        }
        return bytes;
    }

    @Override
    public void close() {
        closed = true;
        if (loop == null || loop.inEventLoop()) {
            timers.values().forEach(t -> t.cancel(false));
            timers.clear();
            channels.forEach(BroadcastChannel::close);
            channels.clear();
        }
        context.close(true);
    }
}
