package dev.edgesocket.channels;

/** The rule for channel names, one place for the API, the HTTP endpoint and the chat example. */
public final class ChannelNames {

    public static final int MAX_LENGTH = 200;
    private static final String PUNCTUATION = "._-:@~+=#";

    private ChannelNames() {
    }

    /** Null when the name is valid, else a sentence saying why not. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "A channel name must not be empty.";
        }
        if (name.length() > MAX_LENGTH) {
            return "A channel name has at most " + MAX_LENGTH + " characters; this one has " + name.length() + ".";
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && PUNCTUATION.indexOf(c) < 0) {
                return "A channel name is made of letters, digits and " + PUNCTUATION + " (such as room:42); '"
                        + new String(Character.toChars(c)) + "' is not allowed.";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /** Throws {@link IllegalArgumentException} with the sentence when the name is not valid. */
    public static String check(String name) {
        String problem = problem(name);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return name;
    }
}
