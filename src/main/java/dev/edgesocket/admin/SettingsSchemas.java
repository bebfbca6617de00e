package dev.edgesocket.admin;

import java.math.BigDecimal;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;

import dev.edgesocket.config.ZoneSetting;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The OpenAPI schemas of a zone's WebSocket settings, built from the {@link ZoneSetting} descriptors rather
 * than from a Java type that would spell the fields out again: {@code WebSocketsView} (what GET shows, every
 * field) and {@code WebSocketsFields} (what PATCH takes, any subset). Run at build time, so the document
 * stored in the application (and the native image) has them too.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SettingsSchemas implements OASFilter {

    static final String VIEW = "WebSocketsView";
    static final String FIELDS = "WebSocketsFields";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        Components components = openAPI.getComponents();
        Schema view = settings().description("A zone's WebSocket settings: durations in seconds (to the millisecond), "
                + "sizes in bytes");
        for (ZoneSetting setting : ZoneSetting.values()) {
            view.addRequired(setting.json());
        }
        components.addSchema(VIEW, view);
        components.addSchema(FIELDS, settings().description("Any subset of the zone's WebSocket settings"));
    }

    private static Schema settings() {
        Schema object = OASFactory.createSchema().addType(SchemaType.OBJECT);
        for (ZoneSetting setting : ZoneSetting.values()) {
            object.addProperty(setting.json(), property(setting));
        }
        return object;
    }

    /** One setting's schema: its JSON type and, for numbers, its bounds as the PATCH rules check them. */
    private static Schema property(ZoneSetting setting) {
        Schema schema = OASFactory.createSchema();
        return switch (setting.kind()) {
            case SWITCH -> schema.addType(SchemaType.BOOLEAN);
            case TOKENS, ORIGINS -> schema.addType(SchemaType.ARRAY)
                    .items(OASFactory.createSchema().addType(SchemaType.STRING));
            case SECONDS -> schema.addType(SchemaType.NUMBER).minimum(BigDecimal.ZERO)
                    .maximum(BigDecimal.valueOf(SettingsPatch.MAX_SECONDS));
            case INT -> schema.addType(SchemaType.INTEGER).format("int32").minimum(BigDecimal.valueOf(setting.min()))
                    .maximum(BigDecimal.valueOf(setting.max()));
            case LONG -> schema.addType(SchemaType.INTEGER).format("int64").minimum(BigDecimal.valueOf(setting.min()))
                    .maximum(BigDecimal.valueOf(setting.max()));
        };
    }
}
