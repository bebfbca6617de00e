package dev.edgesocket.testing;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Singleton;

/**
 * What the test scripts' listeners saw, by the {@code tag} query parameter of each connection, so a
 * test can assert what the script observed (close codes, wasClean, error events).
 */
@Singleton
public class EventJournal {

    private final Map<String, BlockingQueue<String>> entries = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();

    public void record(String tag, String entry) {
        entries.computeIfAbsent(tag, t -> new LinkedBlockingQueue<>()).add(entry);
    }

    /** The next entry recorded for {@code tag}, waiting up to 15 s. */
    public String next(String tag) {
        try {
            String entry = entries.computeIfAbsent(tag, t -> new LinkedBlockingQueue<>()).poll(15, TimeUnit.SECONDS);
            assertNotNull(entry, "the script recorded nothing more for '" + tag + "' within 15 s");
            return entry;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** A gate a listener waits at, for tests of blocking listeners. */
    public CountDownLatch gate(String tag) {
        return gates.computeIfAbsent(tag, t -> new CountDownLatch(1));
    }
}
