package dev.edgesocket.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The columns the charts read, a cluster's totals, and the ping percentiles from the bucket histogram. */
class SeriesTest {

    private static Sample sample(long t, int open, double in, Map<String, Double> closes, Double p50, Double p99) {
        return new Sample(t, open, 0, 0, in, in, in * 10, in * 10, closes, p50, p99);
    }

    @Test
    void totalsAddNodesSecondBySecondAndTakeTheSlowestPing() {
        Series a = Series.of(List.of(sample(10, 2, 1.5, Map.of("1000", 1.0), null, null),
                sample(11, 3, 0.1, Map.of(), 2.0, 9.0)));
        Series b = Series.of(List.of(sample(10, 1, 0, Map.of(), null, null), sample(11, 4, 0.2, Map.of("4xxx", 2.0), null, null),
                sample(12, 1, 5, Map.of(), 1.0, 3.0)));
        Series total = Series.total(List.of(a, b));
        assertEquals(List.of(10L, 11L, 12L), total.t());
        assertEquals(List.of(3, 7, 1), total.open());
        assertEquals(List.of(1.5, 0.3, 5.0), total.messagesIn(), "rates added, and rounded to 0.01");
        assertEquals(Map.of("1000", List.of(1.0, 0.0, 0.0), "4xxx", List.of(0.0, 2.0, 0.0)), total.closes());
        assertEquals(Arrays.asList(null, 2.0, 1.0), total.pingP50Ms(), "no pong in a second is null, not 0");
        assertEquals(Arrays.asList(null, 9.0, 3.0), total.pingP99Ms());
    }

    private static Sample origin(long t, Double connects, Double failures, Double connectMs) {
        return new Sample(t, 0, 0, 0, 0, 0, 0, 0, Map.of(), null, null, connects, failures, connectMs);
    }

    @Test
    void theOriginsColumnsAreAddedWithTheConnectTimeWeightedAndAbsentWithoutAnOrigin() throws Exception {
        Series a = Series.of(List.of(origin(10, 3.0, 1.0, 10.0), origin(11, 0.0, 0.0, null)));
        Series b = Series.of(List.of(origin(10, 1.0, 0.0, 30.0), origin(11, 2.0, 2.0, 4.0)));
        Series total = Series.total(List.of(a, b));
        assertEquals(List.of(4.0, 2.0), total.originConnects());
        assertEquals(List.of(1.0, 2.0), total.originFailures());
        assertEquals(List.of(15.0, 4.0), total.originConnectMs(), "the mean of the two, weighted by connections");
        // A zone without an origin, or a node of an older version, has no such columns; its JSON neither.
        Series plain = Series.of(List.of(sample(10, 1, 1, Map.of(), null, null)));
        assertNull(plain.originConnects());
        ObjectMapper json = new ObjectMapper();
        assertTrue(!json.writeValueAsString(plain).contains("origin"), json.writeValueAsString(plain));
        Series mixed = Series.total(List.of(plain, b));
        assertEquals(Arrays.asList(1.0, 2.0), mixed.originConnects());
        Series readBack = json.readValue(json.writeValueAsString(total), Series.class);
        assertEquals(total, readBack);
    }

    @Test
    void wholeRatesAreWrittenAsWholeNumbersAndReadBack() throws Exception {
        Series series = Series.of(List.of(sample(10, 2, 25, Map.of("1000", 1.0), 0.61, 1.5),
                sample(11, 0, 0.5, Map.of(), null, null)));
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(series);
        assertTrue(text.contains("\"messagesIn\":[25,0.5]"), text);
        assertTrue(text.contains("\"bytesOut\":[250,5]"), text);
        assertTrue(text.contains("\"pingP50Ms\":[0.61,null]"), text);
        assertEquals(series, json.readValue(text, Series.class), "a node reads another node's answer back");
    }

    @Test
    void pingPercentilesFromBuckets() {
        PingHistogram pings = new PingHistogram();
        long[] before = PingHistogram.newCounts();
        pings.copyTo(before);
        for (int i = 0; i < 98; i++) {
            pings.record(1_000_000); // 1 ms
        }
        pings.record(200_000_000); // 200 ms
        pings.record(200_000_000);
        long[] now = PingHistogram.newCounts();
        pings.copyTo(now);
        double p50 = PingHistogram.quantileMillis(now, before, 0.5);
        double p99 = PingHistogram.quantileMillis(now, before, 0.99);
        assertTrue(p50 >= 0.75 && p50 <= 1.25, "p50 of 1 ms round trips: " + p50);
        assertTrue(p99 >= 150 && p99 <= 250, "p99 with 2 of 100 at 200 ms: " + p99);
        assertNull(PingHistogram.quantileMillis(now, now, 0.5), "no pong in the window");
        for (long micros : new long[] {0, 1, 7, 8, 9, 1000, 123_456, 1L << 26, 1L << 40}) {
            int bucket = PingHistogram.bucket(micros);
            long clamped = Math.min(micros, (1L << 27) - 1);
            assertTrue(PingHistogram.lowerMicros(bucket) <= clamped && clamped < PingHistogram.upperMicros(bucket),
                    micros + " us in bucket " + bucket);
            assertTrue(bucket < PingHistogram.BUCKETS);
        }
    }
}
