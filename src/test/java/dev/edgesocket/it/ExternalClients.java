package dev.edgesocket.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs independent clients (other languages' WebSocket libraries) against the packaged server.
 * A missing runtime skips the test on a developer's machine but fails it in CI, where
 * {@code src/test/setup/test-packages.sh} installs it.
 */
final class ExternalClients {

    private ExternalClients() {
    }

    static boolean onPath(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void requireOrSkip(String command) {
        boolean present = onPath(command);
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(command + " is missing: src/test/setup/test-packages.sh must install it");
        }
        assumeTrue(present, command + " is not installed; skipping this interop check");
    }

    /** Copies a client's folder under target/ and installs its npm packages there from the lock file. */
    static Path npmProject(String name) throws Exception {
        Path source = Path.of("src/test/interop", name);
        Path target = Path.of("target/interop", name);
        Files.createDirectories(target);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        try (var files = Files.list(source)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".mjs")).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(target.resolve("node_modules"))) {
            run(target, 300, "npm", "ci", "--no-audit", "--no-fund");
        }
        return target;
    }

    /**
     * Runs one of the browser scripts (src/test/interop/browser, playwright-core driving Debian's Chromium) with
     * Node; skips without Node or Chromium; fails unless it exits 0. Returns its output.
     */
    static String runInChromium(int timeoutSeconds, String script, String... args) throws Exception {
        requireOrSkip("node");
        if (!java.nio.file.Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            requireOrSkip("chromium");
        }
        String[] command = new String[args.length + 2];
        command[0] = "node";
        command[1] = script;
        System.arraycopy(args, 0, command, 2, args.length);
        return run(npmProject("browser"), timeoutSeconds, command);
    }

    /** Runs a command; its output goes to the test log; fails unless it exits 0. */
    static String run(Path dir, int timeoutSeconds, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        boolean done = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String text = new String(output, StandardCharsets.UTF_8);
        System.out.println(text);
        if (!done) {
            process.destroyForcibly();
        }
        assertEquals(0, done ? process.exitValue() : -1, String.join(" ", command) + " failed:\n" + text);
        return text;
    }
}
