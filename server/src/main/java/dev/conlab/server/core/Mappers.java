package dev.conlab.server.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.conlab.bench.Json;

/** The server's JSON: the result document's configuration, plus ISO-8601 text for the stores' times. */
public final class Mappers {

    public static final ObjectMapper JSON = Json.MAPPER.copy().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Mappers() {
    }

    /** JSON text of a value the lab made itself (so it always serializes). */
    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
