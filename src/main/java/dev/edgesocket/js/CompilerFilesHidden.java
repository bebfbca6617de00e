package dev.edgesocket.js;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.runtime.filters.Filters;

/**
 * The TypeScript compiler's mvnpm jar keeps its files under {@code META-INF/resources}, which Quarkus would serve
 * as static files ({@code /_static/typescript/...}, 9 MB of it). They are for loading zones, not for clients.
 */
@Singleton
public class CompilerFilesHidden {

    private static final String PREFIX = "/_static/typescript/";

    void register(@Observes Filters filters) {
        filters.register(rc -> {
            if (rc.normalizedPath().startsWith(PREFIX)) {
                rc.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("There is nothing at " + PREFIX + ".\n");
                return;
            }
            rc.next();
        }, 130);
    }
}
