package dev.edgesocket.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails the test during which the server logged an ERROR that no test asked for: an ERROR in production
 * logs pages someone. Registered for every test through META-INF/services (Quarkus' JUnit configuration
 * turns on extension autodetection). A test provokes an ERROR on purpose by making its cause say "on purpose".
 */
public final class UnexpectedErrors implements BeforeEachCallback, AfterEachCallback {

    private static final LogCapture COLLECTOR = collector();
    /**
     * Where expected fragments are kept: a system property, because a {@code @QuarkusTest} class sees this class
     * through Quarkus' class loader, not the one that registered the extension.
     */
    private static final String EXPECTED = "edgesocket.test.expected-errors";

    /** The current test provokes an ERROR whose message contains {@code fragment}; forgotten after the test. */
    public static synchronized void expect(String fragment) {
        String current = System.getProperty(EXPECTED, "");
        System.setProperty(EXPECTED, current.isEmpty() ? fragment : current + "\n" + fragment);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        // Installed on the root logger once the application has started (it sets up logging itself).
        COLLECTOR.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        String expected = System.getProperty(EXPECTED, "");
        System.clearProperty(EXPECTED);
        List<String> fragments = expected.isEmpty() ? List.of() : List.of(expected.split("\n"));
        List<String> errors = COLLECTOR.drain().stream().filter(e -> fragments.stream().noneMatch(e::contains)).toList();
        if (!errors.isEmpty()) {
            fail("The server logged " + errors.size() + " unexpected ERROR line(s) during this test:\n"
                    + String.join("\n", errors));
        }
    }

    private static LogCapture collector() {
        return new LogCapture(Level.SEVERE, record -> !expected(record), record -> "  [" + record.getLoggerName() + "] "
                + LogCapture.message(record) + (record.getThrown() == null ? "" : ": " + record.getThrown()));
    }

    private static boolean expected(LogRecord record) {
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("on purpose")) {
                return true;
            }
        }
        return false;
    }
}
