package dev.edgesocket.testing;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.Response;

/** Scripts that answer with their own name and the URL they saw, so a routing test can tell which zone answered. */
@Singleton
public class RouteScripts {

    private static EdgeScript named(String name) {
        return request -> Response.text(200, name + " " + request.url());
    }

    @Produces
    @Singleton
    @Named("route-host")
    EdgeScript host() {
        return named("route-host");
    }

    @Produces
    @Singleton
    @Named("route-wild")
    EdgeScript wild() {
        return named("route-wild");
    }

    @Produces
    @Singleton
    @Named("route-wild-ws")
    EdgeScript wildWs() {
        return named("route-wild-ws");
    }

    @Produces
    @Singleton
    @Named("route-app")
    EdgeScript app() {
        return named("route-app");
    }

    @Produces
    @Singleton
    @Named("route-deep")
    EdgeScript deep() {
        return named("route-deep");
    }

    @Produces
    @Singleton
    @Named("route-exact")
    EdgeScript exact() {
        return named("route-exact");
    }

    @Produces
    @Singleton
    @Named("route-api")
    EdgeScript api() {
        return named("route-api");
    }
}
