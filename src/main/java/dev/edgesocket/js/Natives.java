package dev.edgesocket.js;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.WebSocket;

/**
 * The contract between the runtime's JavaScript ({@code runtime/*.js}) and Java, both ways, declared here once.
 * <ul>
 * <li>The ops: every native function the runtime may call, as {@code ops.op_name(...)}, by the same name here
 * (grep {@code op_ws_send_text} to find both ends). Their arguments are unpacked by type in {@link Args}, in one
 * place, and handed to the bridge that does the work. {@code NativesContractTest} fails when a runtime file calls
 * an op this class does not declare, or this class declares one no file calls.</li>
 * <li>The {@link Entries}: the JavaScript functions the Java side calls, which the runtime's files leave in its
 * namespace.</li>
 * </ul>
 * Handles (a request being answered, a socket, a channel) go to JavaScript as the Java objects themselves: the
 * context's host access exposes none of their members, so a script can hold one but do nothing with it.
 */
final class Natives {

    /** A native's arguments, read by position and type: the one place where JavaScript values become Java ones. */
    record Args(Value[] values) {

        String string(int i) {
            return values[i].asString();
        }

        /** A string, or null for JavaScript's null or undefined. */
        String stringOrNull(int i) {
            return values[i].isNull() ? null : values[i].asString();
        }

        int integer(int i) {
            return values[i].asInt();
        }

        long whole(int i) {
            return values[i].asLong();
        }

        double number(int i) {
            return values[i].asDouble();
        }

        boolean bool(int i) {
            return values[i].asBoolean();
        }

        /** A JavaScript value kept as it is (an object the Java side hands back to the runtime later). */
        Value js(int i) {
            return values[i];
        }

        /** A handle the runtime got from an earlier op. */
        <T> T handle(int i, Class<T> type) {
            Object host = values[i].isHostObject() ? values[i].asHostObject() : null;
            if (type.isInstance(host)) {
                return type.cast(host);
            }
            throw new IllegalArgumentException("Expected a " + type.getSimpleName() + " handle.");
        }

        /** The bytes of {@code [arrayBuffer, offset, length]}, the runtime's spelling of a view, at i, i+1, i+2. */
        byte[] bytes(int i) {
            return read(values[i], values[i + 1].asInt(), values[i + 2].asInt());
        }

        /** {@code length} bytes of a JavaScript ArrayBuffer from {@code offset}, copied. */
        static byte[] read(Value buffer, int offset, int length) {
            byte[] bytes = new byte[length];
            if (length > 0) {
                buffer.readBuffer(offset, bytes, 0, length);
            }
            return bytes;
        }
    }

    /**
     * The JavaScript functions Java calls, by the names under which the runtime's files store them in its
     * namespace ({@code rt.socketEvent = ...}). Looked up when used (once per request, socket, timer or channel),
     * so the bridges can be made before the files run; {@link #check} runs once they have.
     */
    record Entries(Value namespace) {

        /** {@code runModule(fn)}: runs the script's module function; true when it called serve. */
        static final String RUN_MODULE = "runModule";
        /** {@code serveEntry(exchange, url, method, headerLines)}: runs the handler for one request. */
        static final String SERVE_ENTRY = "serveEntry";
        /** {@code socketEvent(socket, type, a, b, c)}: raises a socket's event. */
        static final String SOCKET_EVENT = "socketEvent";
        /** {@code fireTimer(id)}: runs a timer's callback. */
        static final String FIRE_TIMER = "fireTimer";
        /** {@code channelEvent(channel, data)}: raises a BroadcastChannel's message event. */
        static final String CHANNEL_EVENT = "channelEvent";
        /**
         * {@code originAnswer(pending, response, status, headerLines, text)}: settles a middleware's request to the
         * origin; {@code text} is the body the server holds (null when it streams), or without a response why not.
         */
        static final String ORIGIN_ANSWER = "originAnswer";
        /** {@code caught.e}: the last exception a callback caught (the watchdog's interrupt, for its frames). */
        static final String CAUGHT = "caught";
        static final List<String> FUNCTIONS = List.of(RUN_MODULE, SERVE_ENTRY, SOCKET_EVENT, FIRE_TIMER, CHANNEL_EVENT,
                ORIGIN_ANSWER);

        Value runModule() {
            return namespace.getMember(RUN_MODULE);
        }

        Value serveEntry() {
            return namespace.getMember(SERVE_ENTRY);
        }

        Value socketEvent() {
            return namespace.getMember(SOCKET_EVENT);
        }

        Value fireTimer() {
            return namespace.getMember(FIRE_TIMER);
        }

        Value channelEvent() {
            return namespace.getMember(CHANNEL_EVENT);
        }

        Value originAnswer() {
            return namespace.getMember(ORIGIN_ANSWER);
        }

        Value caught() {
            return namespace.getMember(CAUGHT);
        }

        /** Fails, naming the entry, when a runtime file did not define one (a start-up failure, not a late one). */
        void check() {
            for (String name : FUNCTIONS) {
                Value entry = namespace.getMember(name);
                if (entry == null || !entry.canExecute()) {
                    throw new IllegalStateException("The JavaScript runtime defines no function rt." + name
                            + " (see Natives.Entries and RuntimeScripts.FILES)");
                }
            }
            Value caught = namespace.getMember(CAUGHT);
            if (caught == null || !caught.hasMembers()) {
                throw new IllegalStateException("The JavaScript runtime defines no rt." + CAUGHT + " slot");
            }
        }
    }

    private final Map<String, Object> ops = new LinkedHashMap<>();

    /**
     * Declares every op. Nothing here runs until the runtime calls an op, so a test may pass nulls to read
     * {@link #names()}.
     */
    Natives(ScriptConsole console, Callbacks callbacks, Timers timers, RequestBridge requests, SocketBridge sockets,
            ChannelBridge channels, SecureRandom random) {
        // console and errors (00-console.js)
        action("op_console_log", a -> console.log(a.string(0), a.string(1)));
        action("op_report_error", a -> console.reportError(a.string(0), a.string(1)));
        // Read only when a callback threw: whether the watchdog is stopping it.
        value("op_callback_stopping", a -> callbacks.stopping());

        // timers (10-timers.js)
        action("op_timer_schedule", a -> timers.schedule(a.integer(0), a.whole(1)));
        action("op_timer_cancel", a -> timers.cancel(a.integer(0)));

        // encoding (20-encoding.js)
        value("op_utf8_encode", a -> ByteBuffer.wrap(a.string(0).getBytes(StandardCharsets.UTF_8)));
        value("op_utf8_decode", a -> utf8Decode(a.bytes(0), a.bool(3)));

        // crypto (25-crypto.js)
        value("op_crypto_random_uuid", a -> UUID.randomUUID().toString());
        value("op_crypto_random_bytes", a -> randomBytes(random, a.integer(0)));

        // the request being answered (50-fetch-types.js, 80-sdk.js)
        value("op_request_upgrade", a -> requests.upgrade(a.handle(0, RequestBridge.Exchange.class),
                a.stringOrNull(1), a.number(2)));
        action("op_request_respond", a -> requests.respond(a.handle(0, RequestBridge.Exchange.class), a.js(1)));
        action("op_request_fail", a -> requests.fail(a.handle(0, RequestBridge.Exchange.class), a.js(1),
                a.string(2)));
        // A middleware's request to the zone's origin (80-sdk.js): settled later through Entries.ORIGIN_ANSWER.
        value("op_origin_fetch", a -> requests.forward(a.handle(0, RequestBridge.Exchange.class), a.string(1),
                a.string(2), a.js(3), a.js(4)));

        // WebSocket (60-websocket.js)
        value("op_ws_protocol", a -> a.handle(0, WebSocket.class).protocol());
        value("op_ws_url", a -> a.handle(0, WebSocket.class).url());
        value("op_ws_ready_state", a -> a.handle(0, WebSocket.class).readyState().value());
        value("op_ws_buffered_amount", a -> a.handle(0, WebSocket.class).bufferedAmount());
        value("op_ws_send_text", a -> sockets.sendText(a.handle(0, WebSocket.class), a.string(1)));
        value("op_ws_send_binary", a -> sockets.sendBinary(a.handle(0, WebSocket.class), a.bytes(1)));
        value("op_ws_close", a -> sockets.close(a.handle(0, WebSocket.class), a.integer(1), a.string(2)));
        action("op_ws_bind", a -> sockets.bind(a.handle(0, WebSocket.class), a.js(1)));

        // BroadcastChannel (70-broadcast-channel.js)
        value("op_channel_open", a -> channels.open(a.string(0), a.js(1)));
        value("op_channel_post_text", a -> channels.post(a.handle(0, BroadcastChannel.class), a.string(1)));
        value("op_channel_post_binary", a -> channels.post(a.handle(0, BroadcastChannel.class), a.bytes(1)));
        action("op_channel_close", a -> channels.close(a.handle(0, BroadcastChannel.class)));
    }

    /** An op that answers a value (a string answer is often a sentence saying why it could not). */
    private void value(String name, Function<Args, Object> op) {
        declare(name, args -> op.apply(new Args(args)));
    }

    /** An op that answers nothing. */
    private void action(String name, Consumer<Args> op) {
        declare(name, args -> {
            op.accept(new Args(args));
            return null;
        });
    }

    private void declare(String name, ProxyExecutable op) {
        if (!name.startsWith("op_") || ops.put(name, op) != null) {
            throw new IllegalStateException("An op is named op_..., once: " + name);
        }
    }

    /** The names of the ops, in their order here. */
    Set<String> names() {
        return Collections.unmodifiableSet(ops.keySet());
    }

    /** The ops as the object the runtime's files receive as {@code ops}. */
    ProxyObject table() {
        return ProxyObject.fromMap(Collections.unmodifiableMap(ops));
    }

    private static Object utf8Decode(byte[] bytes, boolean fatal) {
        if (!fatal) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null; // the runtime throws the TypeError
        }
    }

    private static ByteBuffer randomBytes(SecureRandom random, int size) {
        if (size > 65536) {
            throw new IllegalArgumentException("getRandomValues fills at most 65536 bytes.");
        }
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return ByteBuffer.wrap(bytes);
    }
}
