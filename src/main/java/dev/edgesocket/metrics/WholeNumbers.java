package dev.edgesocket.metrics;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/** Writes a rate that is a whole number as one ({@code 25}, not {@code 25.0}): most per-second counts are. */
public final class WholeNumbers extends StdSerializer<Double> {

    private static final long serialVersionUID = 1L;

    public WholeNumbers() {
        super(Double.class);
    }

    @Override
    public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        double v = value;
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            gen.writeNumber((long) v);
        } else {
            gen.writeNumber(v);
        }
    }
}
