package dev.conlab.server.api;

import dev.conlab.server.ApiException;
import dev.conlab.server.Services;
import io.javalin.http.Context;

/** Parsing and checks the handlers share. */
public final class Handlers {

    private Handlers() {
    }

    static void requireScope(Context ctx, Services services, String scope) {
        dev.conlab.server.Auth.require(ctx, services.tokens(), scope);
    }

    /** The positive id in the path, or a 400 that says what an id is. */
    public static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ApiException(400, "bad id '" + text + "': ids are positive whole numbers");
    }

    static int intQuery(Context ctx, String name, int dflt, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) return dflt;
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ApiException(400, "bad " + name + " '" + text + "': expected a whole number from " + min + " to " + max);
    }
}
