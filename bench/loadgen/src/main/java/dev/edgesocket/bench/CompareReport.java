package dev.edgesocket.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the measurements bench/compare.sh collects (one tab-separated line each) into the comparison table:
 * medians over the rounds, ratios against edgesocket, idle memory per connection, and the targets.
 * {@code java -cp loadgen.jar dev.edgesocket.bench.CompareReport results.tsv}
 *
 * <p>Lines (numbers may be {@code -} when not measured):
 * <ul>
 * <li>{@code server <id> <label> <jvm|node>}</li>
 * <li>{@code echo <id> <round> <msgs/s> <p50us> <p99us> <p999us> <errors> <rssKiB> <generatorCpu%>
 * <fixedLoadP50us> <fixedLoadP99us> <fixedLoadP999us> <fixedLoadErrors>}</li>
 * <li>{@code idle <id> <connections> <opened> <rssKiB> <liveHeapKiB> <slabKiB>} (connections 0 is the baseline)</li>
 * </ul>
 */
public final class CompareReport {

    /** The reference row of the ratios: edgesocket as deployed by default. */
    static final String REFERENCE = "edgesocket";

    // Columns of an echo round.
    private static final int MSGS = 0, P50 = 1, P99 = 2, P999 = 3, ERRORS = 4, RSS = 5, GENERATOR_CPU = 6,
            FIXED_P50 = 7, FIXED_P99 = 8, FIXED_P999 = 9, FIXED_ERRORS = 10;
    // Columns of an idle point.
    private static final int OPENED = 0, IDLE_RSS = 1, IDLE_HEAP = 2, SLAB = 3;

    private final Map<String, String> labels = new LinkedHashMap<>();
    /** Servers whose heap is outside their RSS growth (a fixed, pre-touched JVM heap), as opposed to Node's. */
    private final Set<String> fixedHeap = new HashSet<>();
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
            case "echo" -> echo.computeIfAbsent(f[1], k -> new ArrayList<>()).add(numbers(f, 3));
            case "idle" -> idle.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(Integer.parseInt(f[2]), numbers(f, 3));
            default -> throw new IllegalArgumentException("unknown line " + String.join(" ", f));
        }
    }

    private static double[] numbers(String[] fields, int from) {
        return Arrays.stream(fields, from, fields.length)
                .mapToDouble(s -> s.equals("-") || s.isEmpty() ? Double.NaN : Double.parseDouble(s)).toArray();
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

    private double sum(String server, int column) {
        return echo.getOrDefault(server, List.of()).stream().mapToDouble(r -> r[column]).sum();
    }

    /** What one idle connection costs, over the server's own baseline, in KB (1000 bytes, like the figures). */
    private record PerConnection(double opened, double rss, double liveHeap, double inAll, double kernel) {
    }

    private PerConnection perConnection(String server, int n) {
        Map<Integer, double[]> points = idle.get(server);
        if (points == null || !points.containsKey(0) || !points.containsKey(n)) {
            return null;
        }
        double[] base = points.get(0);
        double[] at = points.get(n);
        double opened = at[OPENED];
        double rss = (at[IDLE_RSS] - base[IDLE_RSS]) * 1.024 / opened;
        double heap = (at[IDLE_HEAP] - base[IDLE_HEAP]) * 1.024 / opened;
        // Slab is system-wide and holds both ends of each loopback connection: half is the server's socket.
        double kernel = (at[SLAB] - base[SLAB]) * 1.024 / opened / 2;
        // In all: a JVM with a pre-touched heap grows its RSS only outside the heap, so add the live heap;
        // Node's heap grows inside its RSS.
        return new PerConnection(opened, rss, heap, fixedHeap.contains(server) ? rss + heap : rss, kernel);
    }

    private String render() {
        StringBuilder out = new StringBuilder();
        double refMsgs = median(REFERENCE, MSGS);
        double refFixedP99 = median(REFERENCE, FIXED_P99);
        out.append("Echo, closed loop: medians over ").append(echo.getOrDefault(REFERENCE, List.of()).size())
                .append(" interleaved rounds. Generator CPU near 100 % means the load generator, not the server, set the pace.\n\n");
        out.append("| server | messages/s | x edgesocket | p50 ms | p99 ms | p99.9 ms | errors | generator CPU | RSS after warm-up |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String id : labels.keySet()) {
            if (echo.containsKey(id)) {
                double msgs = median(id, MSGS);
                out.append(fmt("| %s | %,.0f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f %% | %.0f MiB |\n", labels.get(id), msgs,
                        msgs / refMsgs, median(id, P50) / 1e3, median(id, P99) / 1e3, median(id, P999) / 1e3,
                        sum(id, ERRORS), median(id, GENERATOR_CPU), median(id, RSS) / 1024));
            }
        }
        out.append("\nLatency at one fixed offered load for all (timed from when each message was due), same rounds:\n\n");
        out.append("| server | p50 ms | p99 ms | p99.9 ms | p99 x edgesocket | errors |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (String id : labels.keySet()) {
            if (echo.containsKey(id)) {
                double p99 = median(id, FIXED_P99);
                out.append(fmt("| %s | %.2f | %.2f | %.2f | %.2f | %.0f |\n", labels.get(id), median(id, FIXED_P50) / 1e3,
                        p99 / 1e3, median(id, FIXED_P999) / 1e3, p99 / refFixedP99, sum(id, FIXED_ERRORS)));
            }
        }
        if (idle.isEmpty()) {
            out.append("\n(No idle-memory measurements in this run.)\n");
        } else {
            appendIdle(out);
        }
        out.append("\nTargets (issue: Benchmarks): throughput from the closed loop, p99 at the fixed load.\n\n");
        // As the issue puts them: the event-loop dispatch at no worse p99 than Jakarta, the worker dispatch on
        // throughput alone, and websockets-next matched on throughput and p99.
        target(out, "edgesocket-loop", "jakarta", 0.9, true, "event-loop dispatch vs plain Jakarta");
        target(out, REFERENCE, "jakarta", 0.6, false, "worker dispatch (default) vs plain Jakarta");
        target(out, REFERENCE, "wsnext", 1.0, true, "worker dispatch (default) vs websockets-next default (worker)");
        target(out, "edgesocket-loop", "wsnext-nonblocking", 1.0, true, "event-loop dispatch vs websockets-next @NonBlocking");
        PerConnection ref15k = perConnection(REFERENCE, 15_000);
        if (ref15k != null) {
            boolean met = ref15k.inAll() <= 10 && ref15k.liveHeap() <= 5;
            out.append(fmt("- idle memory at 15k: %.1f KB per socket in all (goal <= 10 KB), of which live heap %.1f KB "
                    + "(goal <= 5 KB): %s\n", ref15k.inAll(), ref15k.liveHeap(), met ? "met" : "MISSED"));
        }
        return out.toString();
    }

    private void appendIdle(StringBuilder out) {
        out.append("\nIdle connections: growth over the server's own baseline after a warm-up, per connection, one\n"
                + "measurement each. JVM heaps are fixed and pre-touched, so a JVM's RSS growth is memory outside the heap,\n"
                + "the heap's share is the live heap after a full GC, and in all = both (GC headroom not included). Node's\n"
                + "heap grows inside its RSS (read after a gc()): in all = RSS. Kernel: slab growth, half of both ends.\n\n");
        out.append("| server | RSS growth @10k | live heap @10k | in all @10k "
                + "| RSS growth @15k | live heap @15k | in all @15k | x edgesocket @15k | kernel @15k |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        PerConnection ref15k = perConnection(REFERENCE, 15_000);
        for (String id : labels.keySet()) {
            if (!idle.containsKey(id)) {
                continue;
            }
            out.append("| ").append(labels.get(id));
            for (int n : new int[] { 10_000, 15_000 }) {
                PerConnection p = perConnection(id, n);
                if (p == null) {
                    out.append(n == 15_000 ? " | - | - | - | - | -" : " | - | - | -");
                    continue;
                }
                String partial = p.opened() < n ? fmt(" (%,.0f opened)", p.opened()) : "";
                out.append(fmt(" | %.1f KB | %.1f KB | %.1f KB%s", p.rss(), p.liveHeap(), p.inAll(), partial));
                if (n == 15_000) {
                    out.append(fmt(" | %.2f | %.1f KB", ref15k == null ? Double.NaN : p.inAll() / ref15k.inAll(), p.kernel()));
                }
            }
            out.append(" |\n");
        }
    }

    private void target(StringBuilder out, String ours, String theirs, double ratioGoal, boolean p99Goal, String what) {
        if (!echo.containsKey(ours) || !echo.containsKey(theirs)) {
            return;
        }
        double ratio = median(ours, MSGS) / median(theirs, MSGS);
        double ourP99 = median(ours, FIXED_P99) / 1e3;
        double theirP99 = median(theirs, FIXED_P99) / 1e3;
        double errors = sum(ours, ERRORS) + sum(ours, FIXED_ERRORS);
        boolean met = ratio >= ratioGoal && (!p99Goal || ourP99 <= theirP99) && errors == 0;
        out.append(fmt("- %s: %.2fx messages/s (goal >= %.1fx), p99 %.2f vs %.2f ms (%s), %.0f errors: %s\n",
                what, ratio, ratioGoal, ourP99, theirP99, p99Goal ? "goal: no worse" : "no p99 goal", errors,
                met ? "met" : "MISSED"));
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
