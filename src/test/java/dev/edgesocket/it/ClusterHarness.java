package dev.edgesocket.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.edgesocket.testing.Eventually;

/**
 * Packaged servers in cluster mode on loopback against one real Redis ({@link RedisServer}): start them, talk
 * to their config API, and wait for what the cluster promises, every wait bounded.
 */
final class ClusterHarness implements AutoCloseable {

    static final String KEY = "cluster-key";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Short, so that the failure tests run in seconds: a dead node drops out after 3 s. */
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);

    final RedisServer redis;
    final Path dir;
    final List<PackagedServer> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ClusterHarness(RedisServer redis, Path dir) {
        this.redis = redis;
        this.dir = dir;
    }

    /** Starts servers named n1..nN (in parallel) and waits until each is ready. */
    void startNodes(int count) throws Exception {
        List<PackagedServer> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(startNode("n" + (nodes.size() + i + 1)));
        }
        for (PackagedServer node : started) {
            awaitReady(node.awaitUp());
        }
        nodes.addAll(started);
    }

    PackagedServer startNode(String name, String... extra) throws Exception {
        List<String> props = new ArrayList<>(List.of("edgesocket.cluster.enabled=true",
                "quarkus.redis.hosts=" + redis.uri(), "edgesocket.cluster.node-id=" + name,
                "edgesocket.cluster.node-timeout=" + NODE_TIMEOUT.toSeconds() + "s", "edgesocket.cluster.sync-interval=1s",
                "edgesocket.admin.api-key=" + KEY, "quarkus.log.console.json.enabled=false",
                "edgesocket.shutdown.drain-period=0s", "quarkus.log.category.\"dev.edgesocket.cluster\".level=DEBUG", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        props.addAll(List.of(extra));
        return PackagedServer.start(dir.resolve(name + ".log"), props.toArray(String[]::new));
    }

    PackagedServer node(int i) {
        return nodes.get(i);
    }

    void awaitReady(PackagedServer node) throws Exception {
        await("node on port " + node.port + " ready", Duration.ofSeconds(30),
                () -> status(get(node, "/q/health/ready")) == 200);
    }

    HttpResponse<String> get(PackagedServer node, String path) {
        return send(node, HttpRequest.newBuilder(node.uri(path)).GET());
    }

    HttpResponse<String> patch(PackagedServer node, String path, String body) {
        return send(node, HttpRequest.newBuilder(node.uri(path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> post(PackagedServer node, String path, String contentType, String body) {
        return send(node, HttpRequest.newBuilder(node.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    HttpResponse<String> delete(PackagedServer node, String path) {
        return send(node, HttpRequest.newBuilder(node.uri(path)).DELETE());
    }

    private HttpResponse<String> send(PackagedServer node, HttpRequest.Builder request) {
        try {
            return http.send(request.header("AccessKey", KEY).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            return null;
        }
    }

    static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + (response == null ? "no answer" : response.body()), e);
        }
    }

    /** The echo zone as this node reports it. */
    JsonNode zone(PackagedServer node) {
        HttpResponse<String> answer = get(node, "/api/zones/echo");
        if (status(answer) != 200) {
            throw new AssertionError("GET /api/zones/echo: " + (answer == null ? "no answer" : answer.statusCode() + " " + answer.body()));
        }
        return json(answer);
    }

    static URI base(PackagedServer node) {
        return node.uri("/");
    }

    /** Polls every 50 ms until the condition holds; fails after {@code limit}. Returns the time it took. */
    static Duration await(String what, Duration limit, BooleanSupplier condition) {
        long start = System.nanoTime();
        Eventually.value(what, limit, Duration.ofMillis(50), () -> {
            try {
                return condition.getAsBoolean();
            } catch (AssertionError e) {
                throw new IllegalStateException(e.getMessage(), e); // not yet; reported if time runs out
            }
        }, Boolean.TRUE::equals);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (PackagedServer node : nodes) {
            try {
                all.append("---- node on port ").append(node.port).append('\n').append(node.output()).append('\n');
            } catch (Exception e) {
                all.append("(no log)\n");
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        for (PackagedServer node : nodes) {
            node.close();
        }
        for (PackagedServer node : nodes) {
            Eventually.last(Duration.ofSeconds(20), Duration.ofMillis(20), node::alive, alive -> !alive);
        }
        redis.close();
    }
}
