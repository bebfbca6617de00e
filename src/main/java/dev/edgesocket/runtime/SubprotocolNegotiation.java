package dev.edgesocket.runtime;

import java.util.List;

import dev.edgesocket.api.WebSocketUpgradeException;

/** Picks the subprotocol of a handshake: the script's choice, or the zone's preference. */
final class SubprotocolNegotiation {

    private SubprotocolNegotiation() {
    }

    /**
     * @param explicit  the script's {@code protocol} option, or {@code null}
     * @param offered   what the client offered, in its order
     * @param supported the zone's list, in server preference order
     * @return the protocol to answer with, or {@code ""} for none
     */
    static String choose(String explicit, List<String> offered, List<String> supported, String zoneName) {
        if (explicit != null) {
            if (!offered.contains(explicit)) {
                throw new WebSocketUpgradeException(400, "Protocol '" + explicit + "' not in the request's protocol list.");
            }
            return explicit;
        }
        if (offered.isEmpty() || supported.isEmpty()) {
            return ""; // as Deno: without a list of its own the zone accepts without a subprotocol
        }
        for (String protocol : supported) {
            if (offered.contains(protocol)) {
                return protocol;
            }
        }
        // Browsers fail such a handshake with an opaque error; a 400 that names both lists says why.
        throw new WebSocketUpgradeException(400, "None of the offered subprotocols (" + String.join(", ", offered)
                + ") is supported by zone '" + zoneName + "', which supports: " + String.join(", ", supported) + ".");
    }
}
