package dev.edgesocket.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * The load generator: {@code java -jar loadgen.jar <mode> key=value ...}. Modes: {@code hold}
 * (idle connections that answer pings), {@code echo} (closed-loop throughput) and {@code rate}
 * (a fixed offered load), {@code fragments} (messages in tiny fragments, for the fragment benchmark) and
 * {@code upgrades} (connections opened and closed in a closed loop: upgrades per second and upgrade latency) and
 * {@code fanout} (one publisher and many subscribers in a chat room: deliveries per second and delivery latency) and
 * {@code attack} (hostile clients beside a healthy socket: {@link AttackMode}). Each prints one result line {@code RESULT key=value ...} for the scripts.
 */
public final class LoadGen {

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: loadgen hold|echo|rate|rtt|fragments|upgrades|fanout|attack url=ws://127.0.0.1:8080/echo key=value ...");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("expected key=value, got " + args[i]);
            }
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Options o = new Options(options);
        int code = switch (args[0]) {
            case "hold" -> new HoldMode(o).run();
            case "echo" -> new EchoMode(o, false).run();
            case "rate" -> new EchoMode(o, true).run();
            case "rtt" -> new RttMode(o).run();
            case "fragments" -> new FragmentMode(o).run();
            case "upgrades" -> new UpgradeMode(o).run();
            case "fanout" -> new FanoutMode(o).run();
            case "attack" -> new AttackMode(o).run();
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        };
        System.exit(code);
    }

    /** Typed access to key=value options, with defaults. */
    record Options(Map<String, String> values) {
        String text(String key, String def) {
            return values.getOrDefault(key, def);
        }

        int integer(String key, int def) {
            return Integer.parseInt(values.getOrDefault(key, String.valueOf(def)));
        }

        boolean flag(String key, boolean def) {
            return Boolean.parseBoolean(values.getOrDefault(key, String.valueOf(def)));
        }
    }
}
