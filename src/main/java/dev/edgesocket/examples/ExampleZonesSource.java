package dev.edgesocket.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * The demo zones ({@code /echo}, {@code /chat}, {@code /echo-ts}, {@code /chat-js}, {@code /room-ts}) as a
 * configuration source of their own, present only while {@code edgesocket.examples.enabled} is true. Off, the
 * zones do not exist at all (not served, not listed, not configurable), so a production server serves only what
 * its operator configured. Registered through {@code META-INF/services}.
 * <p>
 * Ordinal 245: under the application's own application.properties (250), so anything can still adjust them.
 * Static-init safe (it reads a resource and the setting, nothing else), so that the configuration Quarkus checks at
 * static init has the zones too: without them, a setting for a demo zone would be refused as a zone with no path.
 */
@StaticInitSafe
public class ExampleZonesSource implements ConfigSourceFactory {

    static final String ENABLED = "edgesocket.examples.enabled";
    static final String RESOURCE = "edgesocket-examples.properties";
    private static final int ORDINAL = 245;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!enabled(context)) {
            return List.of();
        }
        URL url = ExampleZonesSource.class.getClassLoader().getResource(RESOURCE);
        if (url == null) {
            throw new IllegalStateException(ENABLED + "=true, but " + RESOURCE + " is missing from the class path.");
        }
        try {
            return List.of(new PropertiesConfigSource(url, ORDINAL));
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + " could not be read", e);
        }
    }

    /**
     * The setting as the active profile sees it. The profiled spelling ({@code %dev.}) is looked up first by hand,
     * since sources built by a factory see the others before the configuration (and its profile rules) exists.
     * Unset means false, as {@code EdgesocketConfig.ExamplesConfig} says.
     */
    static boolean enabled(ConfigSourceContext context) {
        for (String profile : context.getProfiles()) {
            ConfigValue value = context.getValue("%" + profile + "." + ENABLED);
            if (value != null && value.getValue() != null) {
                return Boolean.parseBoolean(value.getValue().trim());
            }
        }
        ConfigValue value = context.getValue(ENABLED);
        return value != null && value.getValue() != null && Boolean.parseBoolean(value.getValue().trim());
    }
}
