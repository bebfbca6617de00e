package dev.edgesocket.admin;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error of the config API: a sentence, and for a rejected change one message per field.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@io.quarkus.runtime.annotations.RegisterForReflection
public record ApiError(String message, Map<String, String> errors) {

    public static ApiError of(String message) {
        return new ApiError(message, Map.of());
    }
}
