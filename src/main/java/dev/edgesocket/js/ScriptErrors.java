package dev.edgesocket.js;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/**
 * What a failure of the script says, in the script's own file and lines: the source map applied to stacks and
 * messages, and the innermost frame of the script itself found among the runtime's and the builtins'.
 */
record ScriptErrors(String name, SourceLines lines) {

    /** {@code name:line:col} in a stack or message, rewritten to the line the developer wrote. */
    String rewrite(String text) {
        return lines.rewrite(text, name);
    }

    /** The message and the guest frames of an exception, in the script's lines. */
    String describe(PolyglotException e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame()) {
                sb.append("\n    at ").append(frame);
            }
        }
        return rewrite(sb.toString());
    }

    /** The script's file:line where the exception happened, from the innermost frame of the script; else the file. */
    String location(PolyglotException e) {
        SourceSection section = e.getSourceLocation();
        if (!inScript(section)) {
            // The innermost frame of the script itself (a builtin or the runtime may be running on its behalf).
            for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
                SourceSection at = frame.getSourceLocation();
                if (frame.isGuestFrame() && inScript(at)) {
                    section = at;
                    break;
                }
            }
        }
        if (!inScript(section)) {
            return name;
        }
        return name + ":" + lines.line(section.getStartLine());
    }

    private boolean inScript(SourceSection section) {
        return section != null && section.getSource() != null && section.getSource().getName().equals(name);
    }
}
