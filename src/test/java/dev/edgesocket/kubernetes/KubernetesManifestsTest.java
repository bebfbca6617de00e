package dev.edgesocket.kubernetes;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.edgesocket.config.EdgesocketConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Renders the kustomize tree with kubectl and parses every manifest with the fabric8 Kubernetes
 * model, then checks it against the running application: probe paths answer, ports match, the grace
 * period outlasts the drain, the ConfigMap holds only real edgesocket properties, resources are set.
 */
@QuarkusTest
class KubernetesManifestsTest {

    private static List<HasMetadata> render(String dir) throws IOException, InterruptedException {
        boolean haveKubectl;
        try {
            haveKubectl = new ProcessBuilder("kubectl", "version", "--client").start().waitFor() == 0;
        } catch (IOException e) {
            haveKubectl = false;
        }
        if (!haveKubectl && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("kubectl is missing: src/test/setup/test-packages.sh must install it");
        }
        assumeTrue(haveKubectl, "kubectl is not installed; skipping the manifest checks");
        Process p = new ProcessBuilder("kubectl", "kustomize", dir).redirectErrorStream(true).start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + " failed:\n" + yaml);
        List<HasMetadata> resources = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (!doc.isBlank()) {
                resources.add(Serialization.unmarshal(doc));
            }
        }
        return resources;
    }

    private static <T extends HasMetadata> T named(List<HasMetadata> resources, Class<T> type, String name) {
        return resources.stream().filter(type::isInstance).map(type::cast).filter(r -> r.getMetadata().getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name));
    }

    /**
     * The cluster overlay: every pod in cluster mode against the overlay's own Redis (reachable through its
     * Service, data on a persistent volume, append-only file on), each pod named by its pod name, and no state
     * file (which cluster mode refuses).
     */
    @Test
    void theClusterOverlayAddsAPersistentRedisAndTheClusterSettings() throws Exception {
        List<HasMetadata> resources = render("kubernetes/overlays/cluster");
        Deployment deployment = only(resources, Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = new java.util.HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        assertEquals("true", env.get("EDGESOCKET_CLUSTER_ENABLED").getValue());
        assertEquals("metadata.name", env.get("EDGESOCKET_CLUSTER_NODE_ID").getValueFrom().getFieldRef().getFieldPath(),
                "the node id is the pod's name");
        String hosts = env.get("QUARKUS_REDIS_HOSTS").getValue();

        StatefulSet redis = only(resources, StatefulSet.class);
        Service redisService = named(resources, Service.class, redis.getSpec().getServiceName());
        assertEquals("redis://" + redisService.getMetadata().getName() + ":" + redisService.getSpec().getPorts().get(0).getPort(),
                hosts, "the pods reach the overlay's Redis through its Service");
        redisService.getSpec().getSelector().forEach((k, v) -> assertEquals(v,
                redis.getSpec().getTemplate().getMetadata().getLabels().get(k), "the Redis Service selects the Redis pod"));
        Container redisContainer = redis.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(redisService.getSpec().getPorts().get(0).getTargetPort().getStrVal(), redisContainer.getPorts().get(0).getName());
        String args = String.join(" ", redisContainer.getArgs());
        assertTrue(args.contains("--appendonly yes"), "Redis persists with its append-only file: " + args);
        assertEquals(1, redis.getSpec().getVolumeClaimTemplates().size(), "Redis keeps its data on a persistent volume");
        String claim = redis.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
        assertTrue(redisContainer.getVolumeMounts().stream().anyMatch(m -> m.getName().equals(claim) && m.getMountPath().equals("/data")));
        assertNotNull(redisContainer.getResources().getLimits().get("memory"));
        assertEquals(Boolean.TRUE, redis.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());

        ConfigMap configMap = only(resources, ConfigMap.class);
        Properties properties = new Properties();
        properties.load(new StringReader(configMap.getData().get("application.properties")));
        assertEquals("true", properties.getProperty("edgesocket.cluster.enabled"));
        assertFalse(properties.containsKey("edgesocket.state-file"), "cluster mode and a state file do not go together");
        // Otherwise the overlay's ConfigMap is base's: no setting may drift between the two.
        Properties base = new Properties();
        base.load(new StringReader(only(render("kubernetes/base"), ConfigMap.class).getData().get("application.properties")));
        base.remove("edgesocket.state-file");
        Properties rest = new Properties();
        properties.forEach((k, v) -> {
            if (!((String) k).startsWith("edgesocket.cluster.")) {
                rest.put(k, v);
            }
        });
        assertEquals(base, rest, "the cluster overlay's ConfigMap is base's without the state file, plus edgesocket.cluster.*");
        // The edgesocket Service still selects only the edgesocket pods, not Redis.
        Service service = named(resources, Service.class, "edgesocket");
        assertEquals("server", service.getSpec().getSelector().get("app.kubernetes.io/component"));
    }

    private static <T> T only(List<HasMetadata> resources, Class<T> type) {
        List<T> found = resources.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName());
        return found.get(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubernetes/base", "kubernetes/overlays/native", "kubernetes/overlays/cluster"})
    void manifestsFitTheApplication(String dir) throws Exception {
        List<HasMetadata> resources = render(dir);
        Deployment deployment = only(resources, Deployment.class);
        Service service = named(resources, Service.class, "edgesocket");
        ConfigMap configMap = only(resources, ConfigMap.class);
        only(resources, PodDisruptionBudget.class);
        HorizontalPodAutoscaler hpa = only(resources, HorizontalPodAutoscaler.class);
        assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());

        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        // The application's HTTP port in production, from application.properties (tests run on a random port).
        Properties app = new Properties();
        try (var in = KubernetesManifestsTest.class.getClassLoader().getResourceAsStream("application.properties")) {
            app.load(in);
        }
        int port = Integer.parseInt(app.getProperty("quarkus.http.port", "8080"));
        ContainerPort http = container.getPorts().stream().filter(p -> "http".equals(p.getName())).findFirst().orElseThrow();
        assertEquals(port, http.getContainerPort().intValue(), "the container port is the app's HTTP port");
        assertEquals("http", service.getSpec().getPorts().get(0).getTargetPort().getStrVal());
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/component"),
                service.getSpec().getSelector().get("app.kubernetes.io/component"), "the service selects the pods");

        Map<String, Probe> probes = Map.of("/q/health/started", container.getStartupProbe(),
                "/q/health/live", container.getLivenessProbe(), "/q/health/ready", container.getReadinessProbe());
        probes.forEach((path, probe) -> {
            assertNotNull(probe, "a probe for " + path);
            assertEquals(path, probe.getHttpGet().getPath());
            assertEquals("http", probe.getHttpGet().getPort().getStrVal());
            given().when().get(path).then().statusCode(200); // the running app answers it
        });

        // The ConfigMap: every edgesocket key is a real property, and the grace period outlasts the drain.
        Properties properties = new Properties();
        properties.load(new StringReader(configMap.getData().get("application.properties")));
        assertFalse(properties.isEmpty());
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(toMap(properties), "configmap", 400))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(EdgesocketConfig.class)
                .withValidateUnknown(true)
                .build(); // fails on any edgesocket.* key that maps to nothing
        EdgesocketConfig parsed = config.getConfigMapping(EdgesocketConfig.class);
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertTrue(grace > parsed.shutdown().drainTimeout().toSeconds(),
                "terminationGracePeriodSeconds " + grace + " must exceed the drain timeout " + parsed.shutdown().drainTimeout());
        // Production serves no demo zone; the ConfigMap's commented sample zone is a real one once uncommented.
        assertFalse(parsed.examples().enabled(), "no demo zones in production");
        assertTrue(parsed.zones().isEmpty(), "zones are the operator's: " + parsed.zones().keySet());
        Properties sample = new Properties();
        sample.load(new StringReader(configMap.getData().get("application.properties")
                .replaceAll("(?m)^\\s*#\\s*(edgesocket\\.zones\\.)", "$1")));
        EdgesocketConfig withSample = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(toMap(sample), "configmap", 400))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(EdgesocketConfig.class)
                .withValidateUnknown(true)
                .build().getConfigMapping(EdgesocketConfig.class);
        assertEquals(1, withSample.zones().size(), "one sample zone, commented out");
        withSample.zones().values().forEach(zone -> assertTrue(zone.path().startsWith("/"), zone.path()));

        // Resources and a locked-down container.
        assertNotNull(container.getResources().getRequests().get("cpu"));
        assertNotNull(container.getResources().getRequests().get("memory"));
        assertNotNull(container.getResources().getLimits().get("cpu"));
        assertNotNull(container.getResources().getLimits().get("memory"));
        assertEquals(Boolean.TRUE, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot());
        assertEquals(Boolean.TRUE, container.getSecurityContext().getReadOnlyRootFilesystem());
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals(List.of("ALL"), container.getSecurityContext().getCapabilities().getDrop());
        assertEquals("edgesocket-admin", container.getEnv().stream().filter(e -> e.getName().equals("EDGESOCKET_ADMIN_API_KEY"))
                .findFirst().orElseThrow().getValueFrom().getSecretKeyRef().getName(), "the API key comes from a Secret");
        if (dir.endsWith("native")) {
            assertTrue(container.getImage().startsWith("edgesocket-native"), container.getImage());
            assertTrue(container.getEnv().stream().noneMatch(e -> e.getName().equals("JAVA_OPTS_APPEND")),
                    "no JVM options for the native binary");
        } else {
            assertTrue(container.getEnv().stream().anyMatch(e -> e.getName().equals("JAVA_OPTS_APPEND")
                    && e.getValue().contains("MaxRAMPercentage")), "the JVM sizes its heap from the container limit");
        }
    }

    private static Map<String, String> toMap(Properties properties) {
        Map<String, String> map = new java.util.HashMap<>();
        properties.forEach((k, v) -> map.put((String) k, (String) v));
        return map;
    }
}
