package dev.edgesocket.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tables of bench/attacks.sh from its raw lines ({@code case=<id> label=<label, underscores for spaces> round=<n>
 * RESULT mode=attack ...}, one per attack and round): medians over the rounds, each attack beside the baseline (the
 * first case). {@code java -cp loadgen.jar dev.edgesocket.bench.AttackReport attacks-....txt}
 */
public final class AttackReport {

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private AttackReport() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, List<Map<String, String>>> cases = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            if (!line.startsWith("case=") || !line.contains(" RESULT ")) {
                continue;
            }
            Map<String, String> f = new LinkedHashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) {
                f.put(m.group(1), m.group(2));
            }
            cases.computeIfAbsent(f.get("case"), k -> new ArrayList<>()).add(f);
        }
        if (cases.isEmpty()) {
            System.out.println("no results");
            return;
        }
        String baseline = cases.keySet().iterator().next();
        double baseP99 = median(cases.get(baseline), "p99us");
        double baseCpu = median(cases.get(baseline), "serverCpuPct");
        StringBuilder out = new StringBuilder();
        out.append("What the others see, and what the attack costs the server (attack window; medians over ")
                .append(cases.get(baseline).size()).append(" round(s)). Probe: one healthy socket, a 2-byte text every 10 ms.\n\n");
        out.append("| attack | zone | attacking sockets | probe p50 ms | probe p99 ms | p99 x baseline | probe max ms | probe lost"
                + " | server CPU, % of a core | per attacking socket, over baseline | peak heap used | live heap at the end, attack on"
                + " | live heap after | peak queued bytes | peak Netty direct memory | RSS at the end | probe's own send lag p99 ms |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Map<String, String>>> e : cases.entrySet()) {
            List<Map<String, String>> rs = e.getValue();
            Map<String, String> r = rs.get(0);
            int sockets = Integer.parseInt(r.get("sockets"));
            double cpu = median(rs, "serverCpuPct");
            out.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.2f | %.2f | %.1f | %.0f | %.1f %% | %s | %s | %s | %s | %s | %s | %s | %.2f |%n",
                    r.get("label").replace('_', ' '), r.get("zone"), sockets, median(rs, "p50us") / 1000,
                    median(rs, "p99us") / 1000, median(rs, "p99us") / baseP99, median(rs, "maxus") / 1000,
                    median(rs, "probeLost"), cpu,
                    sockets == 0 ? "-" : String.format(Locale.ROOT, "%.1f %%", (cpu - baseCpu) / sockets),
                    mib(median(rs, "heapUsedMaxKiB")), mib(median(rs, "liveHeapAttackKiB")), mib(median(rs, "liveHeapAfterKiB")),
                    mib(median(rs, "queuedMaxKiB")), mib(median(rs, "directMaxKiB")), mib(median(rs, "rssAtEndKiB")),
                    median(rs, "sendLagP99us") / 1000));
        }
        out.append("\nWhat happened to the attackers (first round; an attacker the server closes connects again at once, a refused upgrade"
                + " is retried after 250 ms):\n\n");
        out.append("| attack | connections | closed by the server | open at the end | upgrades refused | time to close: first / median / max s"
                + " | closes the server counted (code:n) | of which heartbeat (missing pong, stalled queue) | 1013 by the budget | sent"
                + " | echoes read | probe | liveness after |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Map<String, String>>> e : cases.entrySet()) {
            Map<String, String> r = e.getValue().get(0);
            if (r.get("kind").equals("none")) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s / %s / %s | %s | %s | %s | %.0f MiB | %s | %s | %s |%n",
                    r.get("label").replace('_', ' '), r.get("opened"), r.get("closedByServer"), r.get("openAtEnd"),
                    r.get("refused").equals("0") ? "0" : r.get("refused") + " (" + r.get("refusal") + ")",
                    seconds(r.get("closeFirstMs")), seconds(r.get("closeMedianMs")), seconds(r.get("closeMaxMs")),
                    r.get("serverCloses"), r.get("heartbeatTimeouts"), r.get("budgetCloses"), Double.parseDouble(r.get("sentMiB")),
                    r.get("kind").equals("bomb") ? r.get("echoes") : "-", r.get("probeClosed").equals("no") ? "open" : r.get("probeClosed"),
                    r.get("live")));
        }
        System.out.print(out);
    }

    private static String seconds(String millis) {
        return millis.equals("-") ? "-" : String.format(Locale.ROOT, "%.1f", Long.parseLong(millis) / 1000.0);
    }

    private static String mib(double kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.1f MiB", kib / 1024);
    }

    private static double median(List<Map<String, String>> rows, String key) {
        double[] v = rows.stream().map(r -> r.get(key)).filter(s -> s != null && !s.equals("-"))
                .mapToDouble(Double::parseDouble).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
