package dev.edgesocket.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

import dev.edgesocket.testing.Fuzz;
import dev.edgesocket.testing.Fuzz.Draw;

/**
 * {@link PerMessageDeflate#negotiate} against a model of RFC 7692 section 7, for offers generated as structures
 * and written out with the spellings and spacing clients use, and against raw junk.
 */
class PerMessageDeflateProperties {

    /** One parameter of an offer as generated: its name as written, and its value as written (null: none). */
    record Param(String name, String value) {
        String written(Draw d) {
            return value == null ? name : name + d.pick("=", "=", " = ") + value;
        }
    }

    /** An offer: the extension's name as written and its parameters. */
    record Offer(String name, List<Param> params) {
    }

    /** Header lines, each a list of offers, and the text of each line. */
    record Header(List<List<Offer>> lines, List<String> text) {
        @Override
        public String toString() {
            return text.toString();
        }
    }

    static final List<String> PARAMS = List.of("server_no_context_takeover", "client_no_context_takeover",
            "server_max_window_bits", "client_max_window_bits");

    static Offer offer(Draw d) {
        String name = d.oneIn(6) ? d.pick("x-webkit-deflate-frame", "permessage-bzip", "deflate", "")
                : caseOf(d, "permessage-deflate");
        List<Param> params = new ArrayList<>();
        int n = d.between(0, 4);
        for (int i = 0; i < n; i++) {
            String param = d.oneIn(10) ? d.pick("foo", "server_max_window", "client_no_context") : d.pick(PARAMS);
            String value = d.bool() ? null : windowValue(d);
            params.add(new Param(caseOf(d, param), value));
        }
        return new Offer(name, params);
    }

    /** A parameter value as a client might write it: bits valid or not, leading zeros, other digits, quoted. */
    static String windowValue(Draw d) {
        String bare = switch (d.between(0, 5)) {
            case 0, 1 -> Integer.toString(d.between(0, 20));
            case 2 -> "0" + d.between(8, 15);
            case 3 -> d.pick("", "1a", "+9", "-8", " ", "9.0", "0x9", "99999999999");
            // Digits of other scripts: Character.isDigit and Integer.parseInt accept them; HTTP does not.
            case 4 -> d.pick("\u0669", "\u0661\u0660", "\uFF19", "\u0968");
            default -> Integer.toString(d.between(8, 15));
        };
        return d.oneIn(4) ? "\"" + bare + "\"" : bare;
    }

    static String caseOf(Draw d, String s) {
        return d.oneIn(5) ? s.toUpperCase(Locale.ROOT) : s;
    }

    static String write(Draw d, Offer offer) {
        StringBuilder sb = new StringBuilder(offer.name());
        for (Param p : offer.params()) {
            sb.append(d.pick(";", "; ", " ;", " ; ", ";\t")).append(p.written(d));
        }
        return sb.toString();
    }

    static final Gen<Header> HEADERS = Fuzz.gen(d -> {
        List<List<Offer>> lines = new ArrayList<>();
        List<String> text = new ArrayList<>();
        int n = d.between(1, 3);
        for (int i = 0; i < n; i++) {
            List<Offer> offers = new ArrayList<>();
            StringBuilder line = new StringBuilder();
            int m = d.between(1, 3);
            for (int j = 0; j < m; j++) {
                Offer offer = offer(d);
                offers.add(offer);
                line.append(j == 0 ? "" : d.pick(",", ", ", " , ")).append(write(d, offer));
            }
            lines.add(offers);
            text.add(line.toString());
        }
        return new Header(lines, text);
    });

    /** What RFC 7692 makes of one offer, given the server's policy; null when it must be declined. */
    static PerMessageDeflate.Agreement expected(Offer offer) {
        if (!offer.name().trim().equalsIgnoreCase("permessage-deflate")) {
            return null;
        }
        Set<String> seen = new HashSet<>();
        boolean clientNoContext = false;
        int serverBits = 15;
        boolean serverBitsGiven = false;
        for (Param p : offer.params()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                return null; // 7: a parameter given twice declines the offer
            }
            Integer bits = p.value() == null ? null : bits(p.value());
            switch (name) {
                case "server_no_context_takeover", "client_no_context_takeover" -> {
                    if (p.value() != null) {
                        return null; // 7.1.1: these have no value
                    }
                    clientNoContext |= name.startsWith("client");
                }
                case "server_max_window_bits" -> {
                    if (bits == null) {
                        return null; // 7.1.2.1: a value is required, 8 to 15
                    }
                    serverBits = bits;
                    serverBitsGiven = true;
                }
                case "client_max_window_bits" -> {
                    if (p.value() != null && bits == null) {
                        return null; // 7.1.2.2: no value, or 8 to 15
                    }
                }
                default -> {
                    return null; // an unknown parameter
                }
            }
        }
        String response = "permessage-deflate; server_no_context_takeover"
                + (clientNoContext ? "; client_no_context_takeover" : "")
                + (serverBitsGiven ? "; server_max_window_bits=" + serverBits : "");
        return new PerMessageDeflate.Agreement(clientNoContext, serverBits, response);
    }

    /**
     * RFC 7692 7.1.2: "a decimal integer value without leading zeroes between 8 to 15, inclusive", in token or
     * quoted-string form (7: the value conforms to the ABNF once the quotes are removed); HTTP's DIGIT is ASCII.
     */
    static Integer bits(String value) {
        String v = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
        return v.matches("[89]|1[0-5]") ? Integer.valueOf(v) : null;
    }

    @Test
    void agreesWithTheRfcModel() {
        Fuzz.qt(1000).forAll(HEADERS).checkAssert(header -> {
            PerMessageDeflate.Agreement want = null;
            outer:
            for (List<Offer> line : header.lines()) {
                for (Offer offer : line) {
                    want = expected(offer);
                    if (want != null) {
                        break outer; // the first acceptable offer wins
                    }
                }
            }
            assertEquals(want, PerMessageDeflate.negotiate(header.text()));
        });
    }

    /** What the server answers is itself an offer it accepts, to the same agreement; bits stay within 8..15. */
    @Test
    void theResponseReparsesToTheSameAgreement() {
        Fuzz.qt(1000).forAll(HEADERS).checkAssert(header -> {
            PerMessageDeflate.Agreement agreement = PerMessageDeflate.negotiate(header.text());
            if (agreement == null) {
                return;
            }
            assertTrue(agreement.serverMaxWindowBits() >= 8 && agreement.serverMaxWindowBits() <= 15);
            Matcher bits = Pattern.compile("server_max_window_bits=(\\d+)").matcher(agreement.response());
            if (bits.find()) {
                assertEquals(agreement.serverMaxWindowBits(), Integer.parseInt(bits.group(1)));
            }
            assertEquals(agreement, PerMessageDeflate.negotiate(List.of(agreement.response())));
        });
    }

    /** Any offer acceptable on its own is declined once one of its parameters is repeated, however spelled. */
    @Test
    void aRepeatedParameterDeclines() {
        Gen<String> repeated = Fuzz.gen(d -> {
            Offer offer;
            do {
                offer = offer(d);
            } while (expected(offer) == null || offer.params().isEmpty());
            Param p = offer.params().get(d.between(0, offer.params().size() - 1));
            List<Param> params = new ArrayList<>(offer.params());
            // The repeat may differ in case and value; a repeat is a repeat.
            params.add(d.between(0, params.size()),
                    new Param(d.bool() ? p.name().toUpperCase(Locale.ROOT) : p.name(), d.bool() ? p.value() : windowValue(d)));
            return write(d, new Offer(offer.name(), params));
        });
        Fuzz.qt(500).forAll(repeated).checkAssert(offer -> assertNull(PerMessageDeflate.negotiate(List.of(offer))));
    }

    @Test
    void windowBitsOutsideEightToFifteenDecline() {
        Fuzz.qt(300).forAll(Fuzz.gen(d -> d.between(-5, 40))).checkAssert(bits -> {
            PerMessageDeflate.Agreement a = PerMessageDeflate.negotiate(List.of("permessage-deflate; server_max_window_bits=" + bits));
            if (bits >= 8 && bits <= 15) {
                assertNotNull(a);
                assertEquals(bits, a.serverMaxWindowBits());
            } else {
                assertNull(a);
            }
            assertEquals(bits >= 8 && bits <= 15,
                    PerMessageDeflate.negotiate(List.of("permessage-deflate; client_max_window_bits=" + bits)) != null);
        });
    }

    /** Junk never throws: any string, made mostly of the characters that structure the header. */
    @Test
    void arbitraryHeaderTextNeverThrows() {
        Gen<List<String>> junk = Fuzz.gen(d -> {
            List<String> lines = new ArrayList<>();
            int n = d.between(0, 3);
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                int parts = d.between(0, 12);
                for (int j = 0; j < parts; j++) {
                    sb.append(d.pick("permessage-deflate", ";", ",", "=", "\"", " ", "\t", "server_max_window_bits",
                            "client_max_window_bits", "client_no_context_takeover", "server_no_context_takeover", "8", "15",
                            "\u0000", "\u00FF", "\uD800", "\\", String.valueOf((char) d.between(0, 0xFFFF))));
                }
                lines.add(sb.toString());
            }
            return lines;
        });
        Fuzz.qt(1000).forAll(junk).checkAssert(lines -> {
            PerMessageDeflate.Agreement a = PerMessageDeflate.negotiate(lines);
            if (a != null) {
                assertEquals(a, PerMessageDeflate.negotiate(List.of(a.response())));
            }
        });
    }
}
