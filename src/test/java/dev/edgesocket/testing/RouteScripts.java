package dev.edgesocket.testing;

import jakarta.inject.Named;
import jakarta.inject.Singleton;

import dev.edgesocket.api.EdgeScript;
import dev.edgesocket.api.Request;
import dev.edgesocket.api.Response;

/** Scripts that answer with their own name and the URL they saw, so a routing test can tell which zone answered. */
public final class RouteScripts {

    private RouteScripts() {
    }

    static Response answer(String name, Request request) {
        return Response.text(200, name + " " + request.url());
    }

    @Singleton
    @Named("route-host")
    public static class Host implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-host", request);
        }
    }

    @Singleton
    @Named("route-wild")
    public static class Wild implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-wild", request);
        }
    }

    @Singleton
    @Named("route-wild-ws")
    public static class WildWs implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-wild-ws", request);
        }
    }

    @Singleton
    @Named("route-app")
    public static class App implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-app", request);
        }
    }

    @Singleton
    @Named("route-deep")
    public static class Deep implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-deep", request);
        }
    }

    @Singleton
    @Named("route-exact")
    public static class Exact implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-exact", request);
        }
    }

    @Singleton
    @Named("route-api")
    public static class Api implements EdgeScript {
        @Override
        public Response serve(Request request) {
            return answer("route-api", request);
        }
    }
}
