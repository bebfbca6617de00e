package dev.edgesocket.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Names every test that did not run (disabled, or aborted by an assumption) with its reason, at the end of the test
 * JVM's run, and appends the same lines to the file in the system property {@code skipped-tests.file}: surefire's
 * and failsafe's own file under target/skipped-tests (a name outside {@code edgesocket.}, whose keys the app's
 * config validates). The build's last step ({@code src/test/setup/skipped-tests.sh}, verify phase) prints them
 * again at the end of the build and fails it under {@code CI=true}: a JUnit listener cannot fail a run itself (the
 * platform logs what listeners throw). Registered in META-INF/services/org.junit.platform.launcher.TestExecutionListener.
 */
public final class SkippedTests implements TestExecutionListener {

    /** One JVM may run several test plans; the file of an earlier build is dropped once, then appended to. */
    private static boolean fileReset;

    private final List<String> skipped = new ArrayList<>();

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        synchronized (skipped) {
            skipped.clear();
        }
        synchronized (SkippedTests.class) {
            Path file = file();
            if (file != null && !fileReset) {
                fileReset = true;
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        add(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            add(test, result.getThrowable().map(t -> t.getMessage() != null ? t.getMessage() : t.toString())
                    .orElse("aborted"));
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<String> lines;
        synchronized (skipped) {
            lines = List.copyOf(skipped);
        }
        if (lines.isEmpty()) {
            return;
        }
        System.out.println();
        lines.forEach(System.out::println);
        if ("true".equals(System.getenv("CI"))) {
            System.out.println("CI=true: a skipped test is a failure; the build fails at its verify step.");
        }
        Path file = file();
        if (file != null) {
            try {
                Files.createDirectories(file.getParent());
                Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void add(TestIdentifier test, String reason) {
        String line = "Skipped: " + name(test) + " — " + (reason == null || reason.isBlank() ? "no reason given" : reason);
        synchronized (skipped) {
            skipped.add(line);
        }
    }

    private static String name(TestIdentifier test) {
        TestSource source = test.getSource().orElse(null);
        if (source instanceof MethodSource method) {
            return method.getClassName() + "#" + method.getMethodName();
        }
        if (source instanceof ClassSource type) {
            return type.getClassName();
        }
        return test.getDisplayName();
    }

    private static Path file() {
        String file = System.getProperty("skipped-tests.file");
        return file == null || file.isBlank() ? null : Path.of(file);
    }
}
