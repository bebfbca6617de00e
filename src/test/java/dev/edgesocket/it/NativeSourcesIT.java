package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The native build as far as it can go without GraalVM: {@code ./mvnw package -Dnative
 * -Dquarkus.native.sources-only=true} runs every Quarkus native build step and writes the
 * {@code native-image} arguments and inputs to target/native-sources. This checks that they carry
 * our reflection and resource registrations, so nothing works only on the JVM.
 */
class NativeSourcesIT {

    private static final Path SOURCES = Path.of("target/native-sources");

    @Test
    void nativeImageInputsCarryOurRegistrations() throws Exception {
        // The build of the JVM jar has run; this builds the native inputs beside it (quarkus-app is untouched).
        // That build also rewrites target/quarkus-artifact.properties, which tells @QuarkusIntegrationTest what
        // to launch; it is put back afterwards, so the ITs that run after this one (failsafe's order is the
        // file system's) still launch the JVM jar.
        Path artifact = Path.of("target/quarkus-artifact.properties");
        byte[] jvmArtifact = Files.readAllBytes(artifact);
        try {
            ExternalClients.run(Path.of("."), 600, "./mvnw", "-B", "-q", "package", "-Dnative",
                    "-Dquarkus.native.sources-only=true", "-DskipTests");
        } finally {
            Files.write(artifact, jvmArtifact);
        }
        String args = Files.readString(SOURCES.resolve("native-image.args"), StandardCharsets.UTF_8);
        assertTrue(args.contains("io.quarkus.runner.Feature"), "the Quarkus feature drives the build");
        assertTrue(args.contains("--no-fallback"), "no JVM fallback image");
        assertTrue(args.contains("edgesocket-0.1.0-SNAPSHOT-runner"), "the executable's name");

        Path runner = SOURCES.resolve("edgesocket-0.1.0-SNAPSHOT-runner.jar");
        try (ZipFile jar = new ZipFile(runner.toFile())) {
            String reflection = new String(jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            // Instantiated by name by quarkus-websockets, serialized by Jackson, or read as config.
            for (String type : List.of("dev.edgesocket.runtime.UpgradeEndpoints", "dev.edgesocket.admin.ZoneView",
                    "dev.edgesocket.admin.WebSocketsView", "dev.edgesocket.admin.SessionPage", "dev.edgesocket.admin.ApiError",
                    "dev.edgesocket.zone.SessionInfo", "dev.edgesocket.config.EdgesocketConfig$ZoneConfig",
                    "dev.edgesocket.admin.StatsResource$StatsView", "dev.edgesocket.admin.StatsResource$ZoneStats",
                    "dev.edgesocket.metrics.Series")) {
                assertTrue(reflection.contains("\"" + type), type + " is registered for reflection");
            }
            String resources = new String(jar.getInputStream(jar.getEntry("META-INF/native-image/resource-config.json"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            for (String resource : List.of("jakarta.websocket.server.ServerEndpointConfig$Configurator",
                    "jakarta.websocket.ContainerProvider", "quarkus-generated-openapi-doc.JSON")) {
                assertTrue(resources.contains(resource), resource + " is registered as a resource");
            }
            assertTrue(jar.getEntry("dev/edgesocket/runtime/SessionBridge.class") != null
                    || Files.list(SOURCES.resolve("lib")).anyMatch(p -> p.toString().contains("edgesocket")),
                    "our classes are in the image's inputs");
        }
    }
}
