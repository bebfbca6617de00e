package dev.edgesocket.js;

/** A script's failure, carrying the JavaScript stack (with the script's own lines) rather than a Java one. */
final class JsScriptException extends RuntimeException {

    JsScriptException(String message) {
        super(message, null, false, false);
    }
}
