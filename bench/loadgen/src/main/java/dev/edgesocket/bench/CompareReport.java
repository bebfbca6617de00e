package dev.edgesocket.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the measurements bench/compare.sh collects (one tab-separated line each) into the comparison table:
 * medians over the rounds, ratios against edgesocket, idle memory per connection, and the targets.
 * {@code java -cp loadgen.jar dev.edgesocket.bench.CompareReport results.tsv}
 *
 * <p>Lines: {@code server <id> <label> <jvm|node>}; {@code echo <id> <round> <msgs/s> <p50us> <p99us> <p999us> <errors> <rssKiB>};
 * {@code idle <id> <connections> <opened> <rssKiB> <liveHeapKiB or ->} (connections 0 is the baseline).
 */
public final class CompareReport {

    /** The reference row of the ratios: edgesocket as deployed by default. */
    static final String REFERENCE = "edgesocket";

    private final Map<String, String> labels = new LinkedHashMap<>();
    /** Servers whose heap is outside their RSS growth (a fixed, pre-touched JVM heap), as opposed to Node's. */
    private final java.util.Set<String> fixedHeap = new java.util.HashSet<>();
    private final Map<String, List<double[]>> echo = new LinkedHashMap<>();
    private final Map<String, Map<Integer, double[]>> idle = new LinkedHashMap<>();

    private CompareReport() {
    }

    public static void main(String[] args) throws Exception {
        CompareReport report = new CompareReport();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            report.add(line.split("\t"));
        }
        System.out.print(report.render());
    }

    private void add(String[] f) {
        switch (f[0]) {
            case "server" -> {
                labels.put(f[1], f[2]);
                if (f[3].equals("jvm")) {
                    fixedHeap.add(f[1]);
                }
            }
            case "echo" -> echo.computeIfAbsent(f[1], k -> new ArrayList<>()).add(new double[] {
                    num(f[3]), num(f[4]), num(f[5]), num(f[6]), num(f[7]), num(f[8]) });
            case "idle" -> idle.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[2]),
                    new double[] { num(f[3]), num(f[4]), num(f[5]) });
            default -> throw new IllegalArgumentException("unknown line " + String.join(" ", f));
        }
    }

    private static double num(String s) {
        return s.equals("-") || s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    /** Median of one column of a server's echo rounds. */
    private double median(String server, int column) {
        List<double[]> rounds = echo.get(server);
        if (rounds == null || rounds.isEmpty()) {
            return Double.NaN;
        }
        double[] v = rounds.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private double errors(String server) {
        return echo.getOrDefault(server, List.of()).stream().mapToDouble(r -> r[4]).sum();
    }

    /**
     * Per-connection growth at {@code n} connections over the baseline: {RSS KB, live heap KB, opened, in all KB}.
     * In all: for a JVM with a pre-touched heap, RSS growth (memory outside the heap) plus live heap; for Node,
     * whose heap grows inside its RSS, the RSS growth alone.
     */
    private double[] perConnection(String server, int n) {
        Map<Integer, double[]> points = idle.get(server);
        if (points == null || !points.containsKey(0) || !points.containsKey(n)) {
            return null;
        }
        double[] base = points.get(0);
        double[] at = points.get(n);
        double opened = at[0];
        // KiB as read from /proc and jcmd, reported in KB (1000 bytes) like the figures.
        double rss = (at[1] - base[1]) * 1.024 / opened;
        double heap = (at[2] - base[2]) * 1.024 / opened;
        return new double[] { rss, heap, opened, fixedHeap.contains(server) ? rss + heap : rss };
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        double refMsgs = median(REFERENCE, 0);
        out.append("Echo: medians over ").append(roundsOf(REFERENCE)).append(" interleaved rounds\n\n");
        out.append("| server | messages/s | x edgesocket | p50 ms | p99 ms | p99.9 ms | errors | RSS after warm-up |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (String id : labels.keySet()) {
            if (!echo.containsKey(id)) {
                continue;
            }
            double msgs = median(id, 0);
            out.append(fmt("| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f MB |\n", labels.get(id), msgs,
                    msgs / refMsgs, median(id, 1) / 1e3, median(id, 2) / 1e3, median(id, 3) / 1e3, errors(id),
                    median(id, 5) / 1024));
        }
        out.append("\nIdle connections: growth over the server's own baseline after a warm-up, per connection. JVM\n"
                + "heaps are fixed and pre-touched, so a JVM's RSS growth is memory outside the heap, the heap's share\n"
                + "is the live heap after a full GC, and in all = both. Node's heap grows inside its RSS: in all = RSS.\n\n");
        out.append("| server | opened | RSS growth @10k | live heap @10k | in all @10k "
                + "| opened | RSS growth @15k | live heap @15k | in all @15k |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String id : labels.keySet()) {
            if (!idle.containsKey(id)) {
                continue;
            }
            out.append("| ").append(labels.get(id));
            for (int n : new int[] { 10_000, 15_000 }) {
                double[] p = perConnection(id, n);
                if (p == null) {
                    out.append(" | - | - | - | -");
                } else {
                    out.append(fmt(" | %,.0f | %.1f KB | %s | %.1f KB", p[2], p[0],
                            Double.isNaN(p[1]) ? "-" : fmt("%.1f KB", p[1]), p[3]));
                }
            }
            out.append(" |\n");
        }
        out.append("\nTargets (issue: Benchmarks):\n\n");
        target(out, "edgesocket-loop", "jakarta", 0.9, "event-loop dispatch vs plain Jakarta");
        target(out, REFERENCE, "jakarta", 0.6, "worker dispatch (default) vs plain Jakarta");
        target(out, REFERENCE, "wsnext", 1.0, "worker dispatch (default) vs websockets-next default (worker)");
        target(out, "edgesocket-loop", "wsnext-nonblocking", 1.0, "event-loop dispatch vs websockets-next @NonBlocking");
        double[] at15k = perConnection(REFERENCE, 15_000);
        if (at15k != null) {
            double total = at15k[3];
            out.append(fmt("- idle memory at 15k: %.1f KB per socket in all (goal <= 10 KB), of which live heap %.1f KB "
                    + "(goal <= 5 KB): %s\n", total, at15k[1], total <= 10 && at15k[1] <= 5 ? "met" : "MISSED"));
        }
        return out.toString();
    }

    private void target(StringBuilder out, String ours, String theirs, double ratioGoal, String what) {
        if (!echo.containsKey(ours) || !echo.containsKey(theirs)) {
            return;
        }
        double ratio = median(ours, 0) / median(theirs, 0);
        double ourP99 = median(ours, 2) / 1e3;
        double theirP99 = median(theirs, 2) / 1e3;
        boolean met = ratio >= ratioGoal && ourP99 <= theirP99;
        out.append(fmt("- %s: %.2fx messages/s (goal >= %.1fx), p99 %.2f vs %.2f ms (goal: no worse): %s\n", what, ratio,
                ratioGoal, ourP99, theirP99, met ? "met" : "MISSED"));
    }

    private int roundsOf(String server) {
        return echo.getOrDefault(server, List.of()).size();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
