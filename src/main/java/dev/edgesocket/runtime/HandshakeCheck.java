package dev.edgesocket.runtime;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.edgesocket.api.WebSocketUpgradeException;

/**
 * The checks {@code upgradeWebSocket} makes, in Deno's order, each failing with the status the client
 * gets and a sentence that names the header (RFC 6455, section 4.2.1).
 */
final class HandshakeCheck {

    private HandshakeCheck() {
    }

    static void check(EdgeRequest request) {
        if (!hasToken(request.headers("Upgrade"), "websocket")) {
            throw new WebSocketUpgradeException(426,
                    "This is a WebSocket endpoint: the request's Upgrade header must contain 'websocket'.",
                    Map.of("Upgrade", "websocket"));
        }
        if (!hasToken(request.headers("Connection"), "upgrade")) {
            throw new WebSocketUpgradeException(400, "The request's Connection header must contain 'Upgrade'.");
        }
        if (!"GET".equals(request.method())) {
            throw new WebSocketUpgradeException(400,
                    "A WebSocket handshake must be a GET request, not " + request.method() + ".");
        }
        if (!request.isHttp11()) {
            throw new WebSocketUpgradeException(400, "A WebSocket handshake needs HTTP/1.1.");
        }
        String version = request.header("Sec-WebSocket-Version").orElse(null);
        if (!"13".equals(version == null ? null : version.trim())) {
            throw new WebSocketUpgradeException(426,
                    version == null
                            ? "The request has no Sec-WebSocket-Version header: this server speaks version 13."
                            : "The request's Sec-WebSocket-Version is " + version + ": this server speaks version 13.",
                    Map.of("Sec-WebSocket-Version", "13"));
        }
        String key = request.header("Sec-WebSocket-Key").orElse(null);
        if (key == null || key.isBlank()) {
            throw new WebSocketUpgradeException(400, "The request has no Sec-WebSocket-Key header.");
        }
        if (!isNonce(key.trim())) {
            throw new WebSocketUpgradeException(400,
                    "The request's Sec-WebSocket-Key header must be 16 bytes in base64.");
        }
        // Undertow fails a handshake with an empty header line of these two; refuse it here, in words.
        for (String header : List.of("Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions")) {
            for (String line : request.headers(header)) {
                if (line.isBlank()) {
                    throw new WebSocketUpgradeException(400, "The request's " + header + " header is empty.");
                }
            }
        }
    }

    /** True when any of the header lines has {@code token} in its comma-separated list. */
    static boolean hasToken(List<String> headerValues, String token) {
        for (String value : headerValues) {
            for (String part : value.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isNonce(String key) {
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
