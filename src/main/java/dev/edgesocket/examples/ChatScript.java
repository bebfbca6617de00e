package dev.edgesocket.examples;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.edgesocket.api.BroadcastChannel;
import dev.edgesocket.api.BroadcastChannels;
import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.EventType;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;
import dev.edgesocket.api.WebSocket;
import dev.edgesocket.api.WebSocketUpgrade;

/**
 * A chat room per name, across every server: {@code /chat?room=lobby&user=ada}. Each socket joins the
 * BroadcastChannel {@code room:<name>}; what a client sends reaches every other client of the room as
 * {@code {"type":"message","room","user","text","at"}} (at: epoch milliseconds), and joins and leaves are
 * announced as {@code {"type":"join"|"leave","room","user","at"}}. A backend posts to the room with
 * {@code POST /api/channels/room:<name>}; its body reaches the clients as it is (send the same JSON shape).
 */
@ApplicationScoped
@Named("chat")
public class ChatScript implements EdgeScript {

    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_USER = 32;

    @Inject
    BroadcastChannels channels;

    @Inject
    ObjectMapper json;

    @Override
    public Response serve(Request request) {
        String room = request.queryParam("room").orElse("");
        String user = request.queryParam("user").orElse("").strip();
        if (!ROOM.matcher(room).matches()) {
            return Response.text(400, "Name a room with ?room=: 1 to 64 letters, digits, '-' or '_'.");
        }
        if (user.isEmpty() || user.length() > MAX_USER || user.chars().anyMatch(Character::isISOControl)) {
            return Response.text(400, "Name yourself with &user=: 1 to " + MAX_USER + " characters.");
        }
        WebSocketUpgrade upgrade = request.upgradeWebSocket();
        WebSocket socket = upgrade.socket();
        BroadcastChannel channel = channels.open("room:" + room, socket);

        // What the others post reaches this client (the channel never hands a socket its own posts).
        channel.addEventListener("message", event -> socket.send(event.text()));
        socket.addEventListener(EventType.OPEN, event -> {
            channel.postMessage(announce("join", room, user));
            socket.send(announce("welcome", room, user));
        });
        socket.addEventListener(EventType.MESSAGE, event -> {
            if (!event.isText()) {
                socket.close(1003, "This chat takes text messages.");
                return;
            }
            ObjectNode message = json.createObjectNode().put("type", "message").put("room", room).put("user", user)
                    .put("text", event.text()).put("at", System.currentTimeMillis());
            channel.postMessage(message.toString());
        });
        // Close listeners run before the channel closes with the socket: the leave still goes out.
        socket.addEventListener(EventType.CLOSE, event -> channel.postMessage(announce("leave", room, user)));
        return upgrade.response();
    }

    private String announce(String type, String room, String user) {
        return json.createObjectNode().put("type", type).put("room", room).put("user", user)
                .put("at", System.currentTimeMillis()).toString();
    }
}
