package dev.edgesocket.zone;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where the settings changed over HTTP live, and how every server gets them. Single node: memory and
 * the optional state file. Cluster mode: Redis, with a notification to every server.
 */
public interface SettingsStore {

    /**
     * Lays {@code changes} (checked fields: the {@code websockets} fields by their JSON names, and
     * {@code "origin.url"}, a string or null for none, when the origin's URL changes) over the zone's stored
     * overrides, keeps them, and swaps the zone's settings and origin. With {@code closeExisting}, the zone's open
     * sockets are closed with 1001 on every server when the zone ends up disabled. Completes with the
     * zone's new settings; fails with {@link UnavailableException} when the change could not be stored,
     * in which case nothing changed.
     */
    CompletionStage<ZoneSettings> change(Zone zone, JsonNode changes, boolean closeExisting);

    /** The store cannot be reached; its message is a sentence for the API's answer. */
    final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
