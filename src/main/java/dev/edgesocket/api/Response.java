package dev.edgesocket.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * An HTTP response a script returns. Immutable: the {@code with...} methods return a copy.
 * <pre>{@code return Response.text(401, "A token is required.").withHeader("WWW-Authenticate", "Bearer");}</pre>
 */
public final class Response {

    private static final byte[] NO_BODY = new byte[0];

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;

    private Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("An HTTP status is between 100 and 599, got " + status + ".");
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** A response with a status and no body. */
    public static Response status(int status) {
        return new Response(status, List.of(), NO_BODY);
    }

    /** A plain-text (UTF-8) response. */
    public static Response text(int status, String body) {
        return new Response(status, List.of(Map.entry("Content-Type", "text/plain; charset=utf-8")),
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response with a copy of {@code body} and the given content type. */
    public static Response bytes(int status, byte[] body, String contentType) {
        return new Response(status, List.of(Map.entry("Content-Type", contentType)), body.clone());
    }

    /**
     * Adds a header line (several lines of one name are kept). On the response of {@code upgradeWebSocket()}
     * the added headers go into the handshake's 101 (say {@code Set-Cookie}); the handshake's own headers
     * ({@code Upgrade}, {@code Connection}, {@code Sec-WebSocket-*}) stay the server's.
     *
     * @throws IllegalArgumentException when the name is not an HTTP token or the value holds CR, LF or another
     *                                  control character (RFC 9110, section 5)
     */
    public Response withHeader(String name, String value) {
        checkHeader(name, value);
        List<Map.Entry<String, String>> copy = new ArrayList<>(headers.size() + 1);
        copy.addAll(headers);
        copy.add(Map.entry(name, value));
        return new Response(status, Collections.unmodifiableList(copy), body);
    }

    private static void checkHeader(String name, String value) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A header name must not be empty.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7F || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("The header name '" + printable(name)
                        + "' is not an HTTP token: use letters, digits and !#$%&'*+-.^_`|~ only.");
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("The value of header '" + name + "' must not be null.");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                throw new IllegalArgumentException("The value of header '" + name
                        + "' holds a control character (CR, LF or another), which would break the response.");
            }
        }
    }

    private static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    public Response withStatus(int newStatus) {
        return new Response(newStatus, headers, body);
    }

    public Response withBody(String text) {
        return new Response(status, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    public int status() {
        return status;
    }

    /** Header lines in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Response[" + status + ", " + body.length + " bytes]";
    }
}
