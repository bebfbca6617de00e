package dev.edgesocket.admin;

import java.util.List;

import dev.edgesocket.zone.SessionInfo;

/**
 * A page of open sockets, oldest first.
 *
 * @param next the {@code after} value for the next page, or {@code null} on the last page
 */
@io.quarkus.runtime.annotations.RegisterForReflection
public record SessionPage(List<SessionInfo> sessions, String next) {
}
