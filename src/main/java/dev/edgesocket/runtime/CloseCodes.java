package dev.edgesocket.runtime;

import java.nio.charset.StandardCharsets;

/** RFC 6455 close codes: which ones an endpoint may send, and the ones the runtime reports. */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int INTERNAL_ERROR = 1011;
    /** The server is overloaded (RFC 6455 7.4.1 registry): the client may try again later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** The longest reason that fits a close frame's 125-byte payload after the 2-byte code. */
    public static final int MAX_REASON_BYTES = 123;

    private CloseCodes() {
    }

    /** True for the codes RFC 6455 lets an endpoint put in a close frame (as Deno's server accepts them). */
    public static boolean isSendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    /** Checks a script's {@code close(code, reason)}; throws {@link IllegalArgumentException} with a sentence. */
    public static void validate(int code, String reason) {
        if (!isSendable(code)) {
            throw new IllegalArgumentException("Close code " + code
                    + " cannot be sent: use 1000-1003, 1007-1014 or 3000-4999 (RFC 6455, section 7.4).");
        }
        if (reason != null && utf8Length(reason) > MAX_REASON_BYTES) {
            throw new IllegalArgumentException("A close reason may be at most " + MAX_REASON_BYTES
                    + " bytes of UTF-8, got " + utf8Length(reason) + ".");
        }
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
