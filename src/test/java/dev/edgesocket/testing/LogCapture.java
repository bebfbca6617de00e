package dev.edgesocket.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The server's log lines at or above a level, as a test sees them: a JUL handler on the root logger (JBoss
 * LogManager, which Quarkus installs, hands every record of every logging API to it). Each user renders a
 * record its own way ({@code UnexpectedErrors} names the logger, {@code JsZoneTest} reads the message).
 */
public final class LogCapture extends Handler {

    private final Level least;
    private final Predicate<LogRecord> wanted;
    private final Function<LogRecord, String> render;
    private final List<String> lines = new ArrayList<>();

    /** Keeps the records at {@code least} or above that {@code wanted} accepts, as {@code render} writes them. */
    public LogCapture(Level least, Predicate<LogRecord> wanted, Function<LogRecord, String> render) {
        this.least = least;
        this.wanted = wanted;
        this.render = render;
    }

    /** A record's message with its parameters filled in (printf style, as JBoss Logging's *f methods log them). */
    public static String message(LogRecord record) {
        String message = record.getMessage();
        Object[] params = record.getParameters();
        if (params != null && params.length > 0 && message != null) {
            try {
                return String.format(message, params);
            } catch (RuntimeException e) {
                return message; // keep the pattern as it is
            }
        }
        return message;
    }

    /** Listens on the root logger; a second call changes nothing. Call it once the application has set up logging. */
    public LogCapture install() {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            if (h == this) {
                return this;
            }
        }
        root.addHandler(this);
        return this;
    }

    /** Stops listening; what was captured stays readable. */
    public void uninstall() {
        Logger.getLogger("").removeHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() < least.intValue() || !wanted.test(record)) {
            return;
        }
        String line = render.apply(record);
        synchronized (lines) {
            lines.add(line);
        }
    }

    /** What was captured so far. */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** What was captured so far, forgotten here. */
    public List<String> drain() {
        synchronized (lines) {
            List<String> copy = List.copyOf(lines);
            lines.clear();
            return copy;
        }
    }

    /** Waits for a captured line containing {@code fragment} and returns it; fails naming what was captured. */
    public String await(String fragment, Duration timeout) {
        return Eventually.value("a log line with '" + fragment + "'", timeout,
                () -> lines().stream().filter(l -> l != null && l.contains(fragment)).findFirst().orElse(null),
                line -> line != null);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
