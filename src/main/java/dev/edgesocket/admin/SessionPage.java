package dev.edgesocket.admin;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.edgesocket.zone.SessionInfo;

/**
 * A page of open sockets, oldest first.
 *
 * @param next the {@code after} value for the next page, or {@code null} on the last page
 * @param unanswered cluster mode: the servers that did not answer in time, whose sockets are missing from the
 *        page (absent when every server answered, and on a single node)
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record SessionPage(List<SessionInfo> sessions, String next,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> unanswered) {
}
