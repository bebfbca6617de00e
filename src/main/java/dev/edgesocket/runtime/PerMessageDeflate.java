package dev.edgesocket.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * permessage-deflate (RFC 7692) negotiation: picks the first offer in a client's
 * {@code Sec-WebSocket-Extensions} that the server can honour, and says what to answer.
 * <p>
 * The server always takes {@code server_no_context_takeover}: each message it sends is compressed on
 * its own, so no socket keeps a compressor (about 256 KB at zlib's defaults) between messages. The
 * client's {@code client_no_context_takeover} is honoured (its inflater is dropped after each
 * message); otherwise the socket keeps one inflater for the client's window. A client's
 * {@code server_max_window_bits=N} is accepted: the JDK's zlib always uses a 32 KiB window, so only
 * messages of at most 2^N bytes are sent compressed (no back-reference can then reach further), the
 * others go uncompressed, which RFC 7692 allows per message.
 */
final class PerMessageDeflate {

    static final String NAME = "permessage-deflate";
    static final String HEADER = "Sec-WebSocket-Extensions";

    /**
     * What was agreed with one client.
     *
     * @param clientNoContextTakeover the client compresses each message on its own
     * @param serverMaxWindowBits     the window the client allows us (15 when it set no limit)
     * @param response                the {@code Sec-WebSocket-Extensions} value to answer with
     */
    record Agreement(boolean clientNoContextTakeover, int serverMaxWindowBits, String response) {

        /** Whether a message of this many bytes may be sent compressed under the agreed window. */
        boolean fitsWindow(int length) {
            return serverMaxWindowBits >= 15 || length <= (1 << serverMaxWindowBits);
        }
    }

    private PerMessageDeflate() {
    }

    /** The agreement for the first acceptable offer among the header lines, or {@code null} for none. */
    static Agreement negotiate(List<String> headerValues) {
        for (String line : headerValues) {
            for (String offer : splitOutsideQuotes(line, ',')) {
                Agreement agreement = accept(offer);
                if (agreement != null) {
                    return agreement;
                }
            }
        }
        return null;
    }

    private static Agreement accept(String offer) {
        List<String> parts = splitOutsideQuotes(offer, ';');
        if (parts.isEmpty() || !parts.get(0).trim().equalsIgnoreCase(NAME)) {
            return null;
        }
        boolean clientNoContext = false;
        int serverBits = 15;
        boolean serverBitsOffered = false;
        Set<String> seen = new HashSet<>();
        for (String part : parts.subList(1, parts.size())) {
            String param = part.trim();
            if (param.isEmpty()) {
                return null;
            }
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(param.substring(eq + 1).trim());
            if (!seen.add(name)) {
                return null; // RFC 7692 7: an offer with a parameter twice is declined
            }
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                }
                case "client_no_context_takeover" -> {
                    if (value != null) {
                        return null;
                    }
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    Integer bits = windowBits(value);
                    if (bits == null) {
                        return null;
                    }
                    serverBits = bits;
                    serverBitsOffered = true;
                }
                case "client_max_window_bits" -> {
                    // A hint that the client can limit its window; we inflate any window, so we set no limit.
                    if (value != null && windowBits(value) == null) {
                        return null;
                    }
                }
                default -> {
                    return null; // an unknown parameter declines the offer
                }
            }
        }
        StringBuilder response = new StringBuilder(NAME).append("; server_no_context_takeover");
        if (clientNoContext) {
            response.append("; client_no_context_takeover");
        }
        if (serverBitsOffered) {
            // RFC 7692 7.1.2.1: the server accepts the limit by answering it, with the same or a smaller value.
            response.append("; server_max_window_bits=").append(serverBits);
        }
        return new Agreement(clientNoContext, serverBits, response.toString());
    }

    /**
     * RFC 7692 7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive". HTTP's digits are
     * ASCII ({@code Character.isDigit} and {@code Integer.parseInt} also take other scripts' digits), and "08" has a
     * leading zero.
     */
    private static Integer windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return null;
            }
        }
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : null;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
