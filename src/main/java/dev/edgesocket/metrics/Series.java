package dev.edgesocket.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * Samples as columns, one entry per second, oldest first: the shape charts draw from, and the smallest JSON.
 * {@code t} is the second (Unix time) of each entry; every other list has the same length. Rates are per
 * second; {@code closes} has a list for each close code tag seen in the window (0 where none closed). The
 * {@code origin*} lists are there only for a zone that had an origin in the window (null in a second it had none;
 * also absent in what a server of an older version answers).
 */
@Schema(name = "Series", description = "Samples as columns, one entry per second, oldest first")
@io.quarkus.runtime.annotations.RegisterForReflection
public record Series(List<Long> t, List<Integer> open,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> upgradesAccepted,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> upgradesRefused,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> messagesIn,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> messagesOut,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> bytesIn,
        @JsonSerialize(contentUsing = WholeNumbers.class) List<Double> bytesOut,
        Map<String, List<Double>> closes, List<Double> pingP50Ms, List<Double> pingP99Ms,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> originConnects,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> originFailures,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Double> originConnectMs) {

    public static Series of(List<Sample> samples) {
        int n = samples.size();
        List<Long> t = new ArrayList<>(n);
        List<Integer> open = new ArrayList<>(n);
        List<Double> accepted = new ArrayList<>(n), refused = new ArrayList<>(n), in = new ArrayList<>(n),
                out = new ArrayList<>(n), bytesIn = new ArrayList<>(n), bytesOut = new ArrayList<>(n),
                p50 = new ArrayList<>(n), p99 = new ArrayList<>(n), originConnects = new ArrayList<>(n),
                originFailures = new ArrayList<>(n), originConnectMs = new ArrayList<>(n);
        boolean origin = false;
        TreeSet<String> codes = new TreeSet<>();
        for (Sample s : samples) {
            t.add(s.t());
            open.add(s.open());
            accepted.add(s.upgradesAccepted());
            refused.add(s.upgradesRefused());
            in.add(s.messagesIn());
            out.add(s.messagesOut());
            bytesIn.add(s.bytesIn());
            bytesOut.add(s.bytesOut());
            p50.add(s.pingP50Ms());
            p99.add(s.pingP99Ms());
            originConnects.add(s.originConnects());
            originFailures.add(s.originFailures());
            originConnectMs.add(s.originConnectMs());
            origin |= s.originConnects() != null;
            codes.addAll(s.closes().keySet());
        }
        Map<String, List<Double>> closes = new TreeMap<>();
        for (String code : codes) {
            List<Double> column = new ArrayList<>(n);
            samples.forEach(s -> column.add(s.closes().getOrDefault(code, 0.0)));
            closes.put(code, column);
        }
        return new Series(t, open, accepted, refused, in, out, bytesIn, bytesOut, closes, p50, p99,
                origin ? originConnects : null, origin ? originFailures : null, origin ? originConnectMs : null);
    }

    /** The rows again, for adding up. */
    public List<Sample> samples() {
        List<Sample> rows = new ArrayList<>(t.size());
        for (int i = 0; i < t.size(); i++) {
            Map<String, Double> closed = new HashMap<>();
            for (Map.Entry<String, List<Double>> code : closes.entrySet()) {
                double rate = code.getValue().get(i);
                if (rate != 0) {
                    closed.put(code.getKey(), rate);
                }
            }
            rows.add(new Sample(t.get(i), open.get(i), upgradesAccepted.get(i), upgradesRefused.get(i), messagesIn.get(i),
                    messagesOut.get(i), bytesIn.get(i), bytesOut.get(i), closed, pingP50Ms.get(i), pingP99Ms.get(i),
                    at(originConnects, i), at(originFailures, i), at(originConnectMs, i)));
        }
        return rows;
    }

    private static Double at(List<Double> column, int i) {
        return column == null || i >= column.size() ? null : column.get(i);
    }

    /**
     * Several servers' series added up second by second: counts and rates summed, ping percentiles the highest
     * of the servers' (the slowest server's; percentiles cannot be added), the origin's connect time the mean
     * weighted by each server's connections.
     */
    public static Series total(Collection<Series> parts) {
        TreeMap<Long, Sample> bySecond = new TreeMap<>();
        for (Series part : parts) {
            for (Sample s : part.samples()) {
                bySecond.merge(s.t(), s, Series::add);
            }
        }
        return of(List.copyOf(bySecond.values()));
    }

    private static Sample add(Sample a, Sample b) {
        Map<String, Double> closes = new HashMap<>(a.closes());
        b.closes().forEach((code, rate) -> closes.merge(code, rate, (x, y) -> ZoneHistory.round(x + y)));
        return new Sample(a.t(), a.open() + b.open(), ZoneHistory.round(a.upgradesAccepted() + b.upgradesAccepted()),
                ZoneHistory.round(a.upgradesRefused() + b.upgradesRefused()), ZoneHistory.round(a.messagesIn() + b.messagesIn()),
                ZoneHistory.round(a.messagesOut() + b.messagesOut()), ZoneHistory.round(a.bytesIn() + b.bytesIn()),
                ZoneHistory.round(a.bytesOut() + b.bytesOut()), closes, max(a.pingP50Ms(), b.pingP50Ms()),
                max(a.pingP99Ms(), b.pingP99Ms()), sum(a.originConnects(), b.originConnects()),
                sum(a.originFailures(), b.originFailures()), meanConnectMs(a, b));
    }

    private static Double sum(Double a, Double b) {
        return a == null ? b : b == null ? a : Double.valueOf(ZoneHistory.round(a + b));
    }

    /** The mean of two servers' mean connect times, each weighted by its connections in that second. */
    private static Double meanConnectMs(Sample a, Sample b) {
        if (a.originConnectMs() == null) {
            return b.originConnectMs();
        }
        if (b.originConnectMs() == null) {
            return a.originConnectMs();
        }
        double weightA = a.originConnects() == null ? 0 : a.originConnects();
        double weightB = b.originConnects() == null ? 0 : b.originConnects();
        if (weightA + weightB <= 0) {
            return max(a.originConnectMs(), b.originConnectMs());
        }
        return ZoneHistory.round((a.originConnectMs() * weightA + b.originConnectMs() * weightB) / (weightA + weightB));
    }

    private static Double max(Double a, Double b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Math.max(a, b);
    }
}
