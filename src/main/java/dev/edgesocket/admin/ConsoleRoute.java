package dev.edgesocket.admin;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.vertx.ext.web.Router;

/** {@code /console} answers with the console page (its static files live under {@code /console/}). */
@Singleton
public class ConsoleRoute {

    void route(@Observes Router router) {
        // Vert.x matches "/console/" here too: only the bare path is redirected.
        router.get("/console").handler(rc -> {
            if (rc.request().path().endsWith("/")) {
                rc.next();
            } else {
                rc.redirect("/console/");
            }
        });
    }
}
