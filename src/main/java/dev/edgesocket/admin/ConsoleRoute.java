package dev.edgesocket.admin;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.edgesocket.config.EdgesocketConfig;
import io.quarkus.runtime.LaunchMode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * {@code /console} answers with the console page (its static files live under {@code /console/}), and
 * {@code /console/dev-key} tells the page the AccessKey to fill in: the configured key in dev mode
 * ({@code ./mvnw quarkus:dev}, whose startup prints it anyway), {@code null} in every other launch mode.
 */
@Singleton
public class ConsoleRoute {

    static final String DEV_KEY_PATH = "/console/dev-key";

    @Inject
    EdgesocketConfig config;

    void route(@Observes Router router) {
        // Vert.x matches "/console/" here too: only the bare path is redirected.
        router.get("/console").handler(rc -> {
            if (rc.request().path().endsWith("/")) {
                rc.next();
            } else {
                rc.redirect("/console/");
            }
        });
        router.get(DEV_KEY_PATH).handler(rc -> rc.response()
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(new JsonObject().put("accessKey", devKey()).encode()));
    }

    /** The key only when this process runs in dev mode; never in prod or test. */
    String devKey() {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return null;
        }
        return config.admin().apiKey().filter(k -> !k.isBlank()).orElse(null);
    }
}
