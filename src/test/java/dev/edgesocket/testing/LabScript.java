package dev.edgesocket.testing;

import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.EventListener;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.ListenerOptions;
import dev.edgesocket.api.MessageEvent;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.UpgradeOptions;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;

/**
 * A script for tests, driven by query parameters (how to answer) and by text commands (what the
 * socket should do). Everything its listeners see goes to the {@link EventJournal} under {@code tag}.
 */
@ApplicationScoped
@Named("lab")
public class LabScript implements EdgeScript {

    @Inject
    EventJournal journal;

    @Override
    public Response serve(Request request) {
        String tag = request.queryParam("tag").orElse("untagged");
        String respond = request.queryParam("respond").orElse("");
        if (respond.equals("401")) {
            return Response.text(401, "A token is required.").withHeader("WWW-Authenticate", "Bearer realm=\"lab\"")
                    .withHeader("X-Lab", "yes");
        }
        if (respond.equals("bare-101")) {
            return Response.status(101).withHeader("Upgrade", "websocket");
        }
        if (respond.equals("crlf-header")) {
            try {
                return Response.text(200, "ok").withHeader("X-Injected", "a\r\nSet-Cookie: evil=1");
            } catch (IllegalArgumentException e) {
                return Response.text(500, "refused: " + e.getMessage());
            }
        }
        if (respond.equals("throw")) {
            throw new IllegalStateException("the lab script failed on purpose");
        }
        if (respond.equals("twice")) {
            request.upgradeWebSocket();
            try {
                request.upgradeWebSocket();
                return Response.text(200, "second call accepted");
            } catch (IllegalStateException e) {
                return Response.text(409, "second call threw: " + e.getMessage());
            }
        }
        if (respond.equals("request")) {
            return Response.text(200, request.method() + " " + request.path() + " " + request.query() + " "
                    + request.queryParams() + " " + request.header("x-CASE-test").orElse("-") + " "
                    + request.protocols() + " " + request.url());
        }

        UpgradeOptions options = UpgradeOptions.defaults();
        if (request.queryParam("protocol").isPresent()) {
            options = options.withProtocol(request.queryParam("protocol").get());
        }
        if (request.queryParam("idle").isPresent()) {
            options = options.withIdleTimeout(Integer.parseInt(request.queryParam("idle").get()));
        }
        WebSocketUpgrade upgrade = request.upgradeWebSocket(options);
        WebSocket socket = upgrade.socket();
        try {
            socket.send("too early");
            journal.record(tag, "early send accepted");
        } catch (IllegalStateException e) {
            journal.record(tag, "early send threw: " + e.getMessage());
        }
        if (respond.equals("slow")) {
            try {
                Thread.sleep(500); // long enough for the client to give up before the handshake completes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (respond.equals("close-early")) {
            socket.close(4002, "closed before open");
        }
        if (respond.equals("close-race")) {
            // Another thread closes while the handshake completes: the code must survive the race.
            new Thread(() -> socket.close(4003, "raced")).start();
        }

        socket.addEventListener("open", event -> journal.record(tag, "open " + socket.readyState()));
        if (respond.equals("cookie")) {
            socket.addEventListener(EventType.CLOSE, event -> journal.record(tag, "cookie socket closed " + event.code()));
        }
        socket.addEventListener(EventType.ERROR, event -> journal.record(tag, "error " + event.message()));
        socket.addEventListener(EventType.CLOSE, event -> journal.record(tag,
                "close " + event.code() + " " + event.reason() + " " + event.wasClean() + " " + socket.readyState()));
        if (request.queryParam("once").isPresent()) {
            socket.addEventListener(EventType.MESSAGE, event -> socket.send("once: " + event.data()), ListenerOptions.ONCE);
        }
        if (request.queryParam("throwing").isPresent()) {
            socket.addEventListener(EventType.MESSAGE, event -> {
                journal.record(tag, "throwing listener ran on " + event.data());
                throw new IllegalStateException("a listener failed on purpose");
            });
        }
        if (request.queryParam("sleep").isPresent()) {
            // A slow listener: each message costs this many milliseconds before the echo below runs.
            long millis = Long.parseLong(request.queryParam("sleep").get());
            socket.addEventListener(EventType.MESSAGE, event -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        EventListener<MessageEvent> extra = event -> socket.send("extra: " + event.data());
        if (request.queryParam("extra").isPresent()) {
            socket.addEventListener(EventType.MESSAGE, extra);
        }
        socket.addEventListener(EventType.MESSAGE, event -> {
            if (!(event.data() instanceof String text)) {
                socket.send((byte[]) event.data());
                return;
            }
            String[] words = text.split(" ", 3);
            switch (words[0]) {
                case "close" -> {
                    socket.send("closing");
                    socket.close(Integer.parseInt(words[1]), words.length > 2 ? words[2] : "");
                }
                case "try-close" -> {
                    try {
                        socket.close(Integer.parseInt(words[1]), words.length > 2 ? words[2] : "");
                        socket.send("accepted");
                    } catch (IllegalArgumentException e) {
                        socket.send("rejected: " + e.getMessage());
                    }
                }
                case "block" -> {
                    journal.record(tag, "blocking");
                    boolean released = journal.gate(tag).await(30, TimeUnit.SECONDS);
                    socket.send(released ? "unblocked" : "still blocked");
                }
                case "remove-extra" -> {
                    socket.removeEventListener(EventType.MESSAGE, extra);
                    socket.send("removed");
                }
                case "info" -> socket.send(socket.protocol() + "|" + socket.url() + "|" + socket.readyState() + "|"
                        + event.origin() + "|" + event.lastEventId() + "|" + event.source() + "|" + event.ports());
                case "thread" -> socket.send(Thread.currentThread().getName());
                case "flood" -> {
                    // Sends 64 KiB messages until the socket stops being open (the client is not reading).
                    byte[] chunk = new byte[64 * 1024];
                    long sent = 0;
                    while (socket.readyState() == dev.edgesocket.api.ReadyState.OPEN && sent < (1L << 32)) {
                        socket.send(chunk);
                        sent += chunk.length;
                    }
                    journal.record(tag, "flood stopped after " + sent + " bytes, buffered " + socket.bufferedAmount());
                }
                case "pump" -> {
                    // Sends this many bytes in 16 KiB messages, pausing whenever the write queue is full and
                    // resuming on "drain": the back-pressure a script uses instead of flooding.
                    long total = Long.parseLong(words[1]);
                    byte[] chunk = new byte[16 * 1024];
                    long[] sent = {0};
                    boolean[] finished = {false};
                    Runnable pump = () -> {
                        while (sent[0] < total && !socket.writeQueueFull()) {
                            socket.send(chunk);
                            sent[0] += chunk.length;
                        }
                        if (sent[0] >= total && !finished[0]) {
                            finished[0] = true;
                            socket.send("pumped " + sent[0]);
                        }
                    };
                    socket.addEventListener(EventType.DRAIN, e -> {
                        journal.record(tag, "drain at " + socket.bufferedAmount());
                        pump.run();
                    });
                    pump.run();
                }
                case "double-close" -> {
                    socket.close(4000, "first");
                    socket.close(4001, "second");
                }
                case "bad-type" -> {
                    try {
                        socket.addEventListener("bogus", e -> {
                        });
                        socket.send("accepted");
                    } catch (IllegalArgumentException e) {
                        socket.send("rejected: " + e.getMessage());
                    }
                }
                default -> socket.send("Echo: " + text);
            }
        });
        if (respond.equals("cookie")) {
            // The natural way to add a header to the handshake: the upgrade survives the copy.
            return upgrade.response().withHeader("Set-Cookie", "session=abc; HttpOnly").withHeader("Upgrade", "evil");
        }
        return upgrade.response();
    }
}
