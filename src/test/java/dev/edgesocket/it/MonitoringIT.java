package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.edgesocket.testing.Eventually;
import dev.edgesocket.testing.RawClient;
import dev.edgesocket.testing.WsClient;

/**
 * The monitoring overlay against the real thing: kubectl renders it; every series its dashboard and alerts name
 * is one that a packaged node in cluster mode (real Redis) exports once traffic has flowed; a real Prometheus
 * (Debian's) scrapes that node, loads the rules and answers every panel's query with data; and the cluster link
 * alert's expression turns true when Redis goes away.
 */
class MonitoringIT {

    private static final Path DIR = Path.of("target/monitoring-it").toAbsolutePath();
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Pattern SERIES = Pattern.compile("\\bedgesocket_[a-z0-9_]+");

    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDashboardAndAlertsNameExportedSeriesAndWorkInPrometheus() throws Exception {
        boolean ci = "true".equals(System.getenv("CI"));
        boolean kubectl = kubectl();
        boolean prometheusInstalled = Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
        if ((!kubectl || !prometheusInstalled) && ci) {
            throw new AssertionError("prometheus, promtool or kubectl is missing: src/test/setup/test-packages.sh must install them");
        }
        assumeTrue(kubectl, "kubectl is not installed; skipping the monitoring checks");
        assumeTrue(RedisServer.available(), "redis-server is not installed");
        // Without Debian's prometheus package (on a developer's machine) the series are still checked against the
        // scrape; only the queries in a real Prometheus are left out.

        // The overlay as kubectl renders it.
        Map<String, JsonNode> byKind = new LinkedHashMap<>();
        for (String doc : render("kubernetes/overlays/monitoring").split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) {
                JsonNode node = yaml.readTree(doc);
                byKind.put(node.get("kind").asText(), node);
            }
        }
        assertEquals(Set.of("ConfigMap", "PodMonitor", "PrometheusRule"), byKind.keySet());
        JsonNode configMap = byKind.get("ConfigMap");
        assertEquals("1", configMap.at("/metadata/labels/grafana_dashboard").asText(), "Grafana's sidecar finds it by this label");
        JsonNode dashboard = json.readTree(configMap.at("/data/edgesocket-dashboard.json").asText());
        JsonNode rule = byKind.get("PrometheusRule");
        assertEquals("monitoring.coreos.com/v1", rule.get("apiVersion").asText());
        JsonNode podMonitor = byKind.get("PodMonitor");
        checkPodMonitorFindsThePods(podMonitor);

        Map<String, String> panels = new LinkedHashMap<>(); // "title / refId" -> expr
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                panels.put(panel.get("title").asText() + " / " + target.get("refId").asText(), target.get("expr").asText());
            }
        }
        Map<String, String> alerts = new LinkedHashMap<>();
        for (JsonNode r : rule.at("/spec/groups/0/rules")) {
            alerts.put(r.get("alert").asText(), r.get("expr").asText());
        }
        assertEquals(Set.of("EdgesocketHeartbeatStalled", "EdgesocketConnectionLimitRefusals", "EdgesocketHeartbeatTimeoutsSpiking",
                "EdgesocketDrainNotFinishing", "EdgesocketClusterLinkDegraded"), alerts.keySet());
        for (String title : List.of("Open connections", "Open connections per node", "Upgrades/s, accepted and refused",
                "Messages/s in and out", "Bytes/s in and out", "Closes/s by code", "Ping round trip p50 / p99")) {
            assertTrue(panels.keySet().stream().anyMatch(k -> k.startsWith(title + " / ")), "a panel " + title);
        }

        // promtool: the rule groups are valid Prometheus rules.
        Files.createDirectories(DIR);
        Path rules = DIR.resolve("rules.yml");
        yaml.writeValue(rules.toFile(), rule.get("spec"));
        if (prometheusInstalled) {
            String checked = run(List.of(PROMTOOL.toString(), "check", "rules", rules.toString()));
            assertTrue(checked.contains("SUCCESS: 5 rules found"), checked);
        }

        try (RedisServer redis = RedisServer.start(DIR.resolve("redis"));
                PackagedServer node = PackagedServer.start(DIR.resolve("node.log"), "edgesocket.cluster.enabled=true",
                        "quarkus.redis.hosts=" + redis.uri(), "edgesocket.cluster.node-id=node-a",
                        "edgesocket.cluster.node-timeout=4s", "edgesocket.zones.echo.websockets.idle-timeout=1s",
                        "edgesocket.zones.\"tight\".path=/tight", "edgesocket.zones.\"tight\".script=echo",
                        "edgesocket.zones.\"tight\".websockets.max-connections=1").awaitUp();
                Prometheus prometheus = prometheusInstalled ? Prometheus.start(node.port, rules) : null) {
            if (prometheus != null) {
                prometheus.awaitTargetUp(http);
            }

            // Traffic, so that every meter exists and moves: messages both ways, closes, a refusal at the limit,
            // a heartbeat timeout, pings answered.
            URI base = node.uri("/");
            try (WsClient held = WsClient.connect(base, "/tight"); RawClient refused = RawClient.open(base)) {
                assertEquals(503, refused.request("GET", "/tight", RawClient.validHandshakeHeaders(base)).status());
                held.send("x").expectText("Echo: x");
            }
            try (RawClient silent = RawClient.handshake(base, "/echo")) {
                assertEquals(RawClient.PING, silent.readFrame().opcode());
                assertEquals(1001, silent.readUntilClose().closeCode(), "no pong: closed by the heartbeat");
            }
            try (WsClient client = WsClient.connect(base, "/echo")) {
                for (int i = 0; i < 8; i++) {
                    client.send("hello " + i).expectText("Echo: hello " + i);
                    client.send(new byte[] {1, 2, 3});
                    client.nextBinary();
                    Thread.sleep(1200); // half a second of silence brings a ping, answered by the client
                }
                // One socket stays open while Prometheus scrapes, so "open connections" has something to show.
                String scrape = get(node.uri("/q/metrics"));
                Set<String> exported = new TreeSet<>();
                for (String line : scrape.split("\n")) {
                    if (line.startsWith("edgesocket_")) {
                        exported.add(line.split("[{ ]", 2)[0]);
                    }
                }
                List<String> missing = new ArrayList<>();
                Map<String, String> all = new LinkedHashMap<>(panels);
                all.putAll(alerts);
                all.forEach((where, expr) -> {
                    Matcher m = SERIES.matcher(expr);
                    while (m.find()) {
                        if (!exported.contains(m.group())) {
                            missing.add(where + ": " + m.group());
                        }
                    }
                });
                assertTrue(missing.isEmpty(), "series not exported: " + missing + "\nexported: " + exported);

                if (prometheus == null) {
                    return;
                }
                // Every panel's query, as Grafana would send it, answers with data.
                Thread.sleep(3000); // a few more scrapes after the traffic
                for (Map.Entry<String, String> panel : panels.entrySet()) {
                    String expr = panel.getValue().replace("$namespace", ".*").replace("$zone", ".*")
                            .replace("$__rate_interval", "30s");
                    JsonNode result = prometheus.query(http, expr);
                    assertFalse(result.isEmpty(), panel.getKey() + " shows nothing: " + expr);
                }
            }
            JsonNode loaded = prometheus.get(http, "/api/v1/rules").at("/data/groups/0/rules");
            assertEquals(5, loaded.size());
            for (JsonNode r : loaded) {
                assertEquals("ok", r.get("health").asText(), r.toString());
            }
            assertFalse(prometheus.query(http, alerts.get("EdgesocketConnectionLimitRefusals")).isEmpty(),
                    "the refusal at the limit shows in the connection-limit alert's expression");
            assertTrue(prometheus.query(http, alerts.get("EdgesocketClusterLinkDegraded")).isEmpty(), "Redis is up");
            assertTrue(prometheus.query(http, alerts.get("EdgesocketHeartbeatStalled")).isEmpty(), "the heartbeat ticks");

            // A burst of clients that never answer pings makes the heartbeat-timeout alert's expression hold.
            String spiking = alerts.get("EdgesocketHeartbeatTimeoutsSpiking");
            assertTrue(prometheus.query(http, spiking).isEmpty(), "one timeout is no spike");
            List<RawClient> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 12; i++) {
                    silent.add(RawClient.handshake(base, "/echo"));
                }
                for (RawClient client : silent) {
                    assertEquals(1001, client.readUntilClose().closeCode());
                }
            } finally {
                for (RawClient client : silent) {
                    client.close();
                }
            }
            assertFalse(awaitResult(prometheus, spiking, 10).isEmpty(), "13 sockets lost to missing pongs are a spike");

            redis.stop();
            JsonNode degraded = awaitResult(prometheus, alerts.get("EdgesocketClusterLinkDegraded"), 20);
            assertFalse(degraded.isEmpty(), "with Redis gone the cluster link alert's expression holds");
            assertEquals("node-a", degraded.get(0).at("/metric/node").asText());

            // A drain (SIGTERM) is seen while it runs, and one that ends in time raises no alert.
            try (WsClient first = WsClient.connect(base, "/echo"); WsClient second = WsClient.connect(base, "/echo")) {
                node.signalTerm();
                assertFalse(awaitResult(prometheus, "max_over_time(edgesocket_drain_elapsed_seconds[1m]) > 0", 15).isEmpty(),
                        "Prometheus sees the node draining");
                assertEquals(1001, first.awaitClose().code());
                assertEquals(1001, second.awaitClose().code());
            }
            assertTrue(prometheus.query(http, alerts.get("EdgesocketDrainNotFinishing")).isEmpty(),
                    "a drain that ends within its timeout does not alert");
        }
    }

    /** Polls an instant query until it has a result or the time is up; returns the last result. */
    private JsonNode awaitResult(Prometheus prometheus, String expr, int seconds) throws Exception {
        return Eventually.last(Duration.ofSeconds(seconds), Duration.ofMillis(250), () -> prometheus.query(http, expr),
                result -> !result.isEmpty());
    }

    /** The PodMonitor selects the Deployment's pods and scrapes the container's metrics port and path. */
    private void checkPodMonitorFindsThePods(JsonNode podMonitor) throws Exception {
        JsonNode deployment = null;
        for (String doc : render("kubernetes/base").split("(?m)^---\\s*$")) {
            if (!doc.isBlank() && yaml.readTree(doc).get("kind").asText().equals("Deployment")) {
                deployment = yaml.readTree(doc);
            }
        }
        JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
        podMonitor.at("/spec/selector/matchLabels").fields().forEachRemaining(e ->
                assertEquals(e.getValue().asText(), podLabels.path(e.getKey()).asText(), "the PodMonitor selects the pods: " + e.getKey()));
        JsonNode endpoint = podMonitor.at("/spec/podMetricsEndpoints/0");
        assertEquals("/q/metrics", endpoint.get("path").asText());
        boolean portExists = false;
        for (JsonNode port : deployment.at("/spec/template/spec/containers/0/ports")) {
            portExists |= port.get("name").asText().equals(endpoint.get("port").asText());
        }
        assertTrue(portExists, "the container has the port " + endpoint.get("port"));
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static boolean kubectl() {
        try {
            return new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String render(String dir) throws Exception {
        return run(List.of("kubectl", "kustomize", dir));
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return out;
    }

    /** Debian's Prometheus, scraping one node every second and evaluating the rules every second. */
    private static final class Prometheus implements AutoCloseable {
        private final Process process;
        private final int port;

        private Prometheus(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        static Prometheus start(int target, Path rules) throws Exception {
            Path dir = DIR.resolve("prometheus");
            if (Files.exists(dir)) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
            Files.createDirectories(dir);
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - %s
                    scrape_configs:
                      - job_name: edgesocket
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(rules, target));
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            return new Prometheus(process, port);
        }

        JsonNode get(HttpClient http, String pathAndQuery) throws Exception {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertEquals("success", body.path("status").asText(), pathAndQuery + " -> " + response.body());
            return body;
        }

        /** The result vector of an instant query. */
        JsonNode query(HttpClient http, String expr) throws Exception {
            return get(http, "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)).at("/data/result");
        }

        void awaitTargetUp(HttpClient http) throws Exception {
            Eventually.value("prometheus to scrape the node (up == 1)", Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
                if (!process.isAlive()) { // an AssertionError ends the wait at once
                    throw new AssertionError("prometheus exited: " + Files.readString(DIR.resolve("prometheus/prometheus.log")));
                }
                return query(http, "up{job=\"edgesocket\"} == 1"); // an IOException: not listening yet
            }, result -> !result.isEmpty());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
