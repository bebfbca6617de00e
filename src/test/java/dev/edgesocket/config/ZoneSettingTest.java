package dev.edgesocket.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.MemorySize;

/** The descriptors against the mapping they describe: one per {@code websockets} property, each reading its own. */
class ZoneSettingTest {

    @Test
    void oneDescriptorPerMappingMethodNamedAfterIt() {
        TreeSet<String> methods = new TreeSet<>();
        for (Method m : EdgesocketConfig.WebSocketsConfig.class.getDeclaredMethods()) {
            methods.add(m.getName());
        }
        assertEquals(methods, new TreeSet<>(ZoneSetting.jsonNames()));
        TreeSet<String> properties = new TreeSet<>();
        ZoneKeySpelling.SETTINGS.stream().filter(s -> s.startsWith("websockets.")).forEach(properties::add);
        assertEquals(properties, new TreeSet<>(Arrays.stream(ZoneSetting.values()).map(ZoneSetting::property).toList()));
    }

    @Test
    void namesAndLookups() {
        assertEquals("websockets.max-buffered-amount", ZoneSetting.MAX_BUFFERED_AMOUNT.property());
        assertEquals("maxBufferedAmount", ZoneSetting.MAX_BUFFERED_AMOUNT.json());
        assertEquals(Optional.of(ZoneSetting.REQUIRE_ORIGIN), ZoneSetting.byJson("requireOrigin"));
        assertEquals(Optional.empty(), ZoneSetting.byJson("require-origin"));
        assertEquals(Optional.empty(), ZoneSetting.byJson("RequireOrigin"));
    }

    /** Each descriptor reads its own method, and gives a value of its kind's type. */
    @Test
    void eachReadsItsOwnPropertyAsItsKindsType() {
        Map<String, Object> answers = Map.ofEntries(
                Map.entry("enabled", false), Map.entry("subprotocols", Optional.of(List.of("chat"))),
                Map.entry("idleTimeout", Duration.ofMillis(1500)), Map.entry("maxIdle", Duration.ofSeconds(7)),
                Map.entry("maxConnections", 3), Map.entry("maxMessageSize", new MemorySize(BigInteger.valueOf(1024))),
                Map.entry("maxBufferedAmount", new MemorySize(BigInteger.valueOf(5L << 32))),
                Map.entry("maxFragments", 9), Map.entry("compression", true),
                Map.entry("allowedOrigins", Optional.of(List.of("https://*.example.com"))),
                Map.entry("requireOrigin", true));
        EdgesocketConfig.WebSocketsConfig config = (EdgesocketConfig.WebSocketsConfig) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EdgesocketConfig.WebSocketsConfig.class},
                (proxy, method, args) -> answers.get(method.getName()));
        Map<ZoneSetting, Object> expected = Map.ofEntries(
                Map.entry(ZoneSetting.ENABLED, false), Map.entry(ZoneSetting.SUBPROTOCOLS, List.of("chat")),
                Map.entry(ZoneSetting.IDLE_TIMEOUT, Duration.ofMillis(1500)), Map.entry(ZoneSetting.MAX_IDLE, Duration.ofSeconds(7)),
                Map.entry(ZoneSetting.MAX_CONNECTIONS, 3), Map.entry(ZoneSetting.MAX_MESSAGE_SIZE, 1024L),
                Map.entry(ZoneSetting.MAX_BUFFERED_AMOUNT, 5L << 32), Map.entry(ZoneSetting.MAX_FRAGMENTS, 9),
                Map.entry(ZoneSetting.COMPRESSION, true), Map.entry(ZoneSetting.ALLOWED_ORIGINS, List.of("https://*.example.com")),
                Map.entry(ZoneSetting.REQUIRE_ORIGIN, true));
        for (ZoneSetting setting : ZoneSetting.values()) {
            Object value = setting.read(config);
            assertEquals(expected.get(setting), value, setting.json());
            assertTrue(setting.kind().type().isInstance(value), setting + " reads a " + setting.kind().type());
        }
    }

    @Test
    void unsetListsReadAsEmpty() {
        EdgesocketConfig.WebSocketsConfig config = (EdgesocketConfig.WebSocketsConfig) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {EdgesocketConfig.WebSocketsConfig.class},
                (proxy, method, args) -> Optional.empty());
        assertEquals(List.of(), ZoneSetting.SUBPROTOCOLS.read(config));
        assertEquals(List.of(), ZoneSetting.ALLOWED_ORIGINS.read(config));
    }

    @Test
    void wholeNumbersHaveBoundsAndASentence() {
        for (ZoneSetting setting : ZoneSetting.values()) {
            if (setting.kind() == ZoneSetting.Kind.INT || setting.kind() == ZoneSetting.Kind.LONG) {
                assertNotNull(setting.range(), setting.json());
                assertTrue(setting.min() <= setting.max(), setting.json());
                assertTrue(setting.kind() == ZoneSetting.Kind.LONG || setting.max() <= Integer.MAX_VALUE, setting.json());
            }
        }
    }
}
