package dev.edgesocket.js;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps lines of the transpiled code back to the script's own lines, from the source map's
 * {@code mappings} (Base64 VLQ, version 3), so that stack traces name the line the developer wrote.
 */
final class SourceLines {

    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /** Original line (1-based) of each generated line (index = generated line - 1); 0 when unmapped. */
    private final int[] original;

    private SourceLines(int[] original) {
        this.original = original;
    }

    static SourceLines identity() {
        return new SourceLines(null);
    }

    /** From the {@code mappings} string of a version 3 source map. */
    static SourceLines fromMappings(String mappings) {
        String[] lines = mappings.split(";", -1);
        int[] result = new int[lines.length];
        int sourceLine = 0;
        for (int i = 0; i < lines.length; i++) {
            boolean mapped = false;
            for (String segment : lines[i].split(",")) {
                if (segment.isEmpty()) {
                    continue;
                }
                int[] fields = decode(segment);
                if (fields.length >= 4) {
                    sourceLine += fields[2];
                    if (!mapped) {
                        result[i] = sourceLine + 1;
                        mapped = true;
                    }
                }
            }
        }
        return new SourceLines(result);
    }

    private static int[] decode(String segment) {
        int[] out = new int[5];
        int n = 0;
        int value = 0;
        int shift = 0;
        for (int i = 0; i < segment.length() && n < out.length; i++) {
            int digit = BASE64.indexOf(segment.charAt(i));
            value += (digit & 31) << shift;
            if ((digit & 32) != 0) {
                shift += 5;
                continue;
            }
            out[n++] = (value & 1) == 1 ? -(value >>> 1) : value >>> 1;
            value = 0;
            shift = 0;
        }
        return Arrays.copyOf(out, n);
    }

    /** The script's line for a generated line (the nearest mapped line above it when unmapped). */
    int line(int generated) {
        if (original == null || generated < 1) {
            return generated;
        }
        for (int i = Math.min(generated, original.length) - 1; i >= 0; i--) {
            if (original[i] > 0) {
                return original[i];
            }
        }
        return generated;
    }

    /** Rewrites {@code name:line:col} (and {@code name:line}) in a stack trace or message to the script's lines. */
    String rewrite(String text, String name) {
        if (original == null || text == null) {
            return text;
        }
        Matcher m = Pattern.compile(Pattern.quote(name) + ":(\\d+)(?::\\d+(?:-\\d+)?)?").matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(name + ":" + line(Integer.parseInt(m.group(1)))));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
