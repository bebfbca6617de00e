package dev.edgesocket.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/**
 * Reads every open session of a zone from the config API and reports the distribution of the
 * server's last ping round trip per socket ({@code lastPongRoundTripMillis}).
 */
final class RttMode {

    private static final Pattern RTT = Pattern.compile("\"lastPongRoundTripMillis\":([0-9.Ee+-]+)");
    private static final Pattern NEXT = Pattern.compile("\"next\":\"([^\"]+)\"");

    private final String api;
    private final String zone;
    private final String key;

    RttMode(LoadGen.Options o) {
        api = o.text("api", "http://127.0.0.1:8080");
        zone = o.text("zone", "echo");
        key = o.text("key", "bench-key");
    }

    int run() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Histogram h = new Histogram(3);
        int sessions = 0;
        int withoutPong = 0;
        String after = "";
        do {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(api + "/api/zones/" + zone
                    + "/sessions?limit=1000&after=" + after)).header("AccessKey", key).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (page.statusCode() != 200) {
                throw new IllegalStateException("sessions answered " + page.statusCode() + ": " + page.body());
            }
            String body = page.body();
            sessions += body.split("\"id\":", -1).length - 1;
            Matcher m = RTT.matcher(body);
            while (m.find()) {
                h.recordValue(Math.round(Double.parseDouble(m.group(1)) * 1000)); // microseconds
            }
            withoutPong += body.split("\"lastPongRoundTripMillis\":null", -1).length - 1;
            Matcher next = NEXT.matcher(body);
            after = next.find() ? next.group(1) : null;
        } while (after != null);
        System.out.printf("RESULT mode=rtt sessions=%d withPong=%d withoutPong=%d p50ms=%.3f p99ms=%.3f maxms=%.3f%n",
                sessions, h.getTotalCount(), withoutPong, h.getValueAtPercentile(50) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
        return 0;
    }
}
