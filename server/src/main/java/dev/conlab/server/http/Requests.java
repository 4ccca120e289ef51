package dev.conlab.server.http;

import dev.conlab.server.core.LabException;
import io.javalin.http.Context;

/** Reading path and query parameters, the same for the API and the pages: a bad one is a 400 that says what it should be. */
public final class Requests {

    private Requests() {
    }

    /** The positive id in the path. */
    public static long id(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) return id;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new LabException.Invalid("bad id '" + text + "': ids are positive whole numbers");
    }

    /** A whole-number query parameter between min and max, or its default when absent. */
    public static int intQuery(Context ctx, String name, int dflt, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null) return dflt;
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) return value;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new LabException.Invalid("bad " + name + " '" + text + "': expected a whole number from " + min + " to " + max);
    }

    /** A whole number from the form or the query; null when absent or blank. */
    public static Integer integer(Context ctx, String name) {
        String text = ctx.formParam(name) != null ? ctx.formParam(name) : ctx.queryParam(name);
        if (text == null || text.isBlank()) return null;
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new LabException.Invalid("bad " + name + " '" + text + "': expected a whole number");
        }
    }

    public static Long optionalLong(Context ctx, String name) {
        Integer value = integer(ctx, name);
        return value == null ? null : value.longValue();
    }

    public static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    /** Whether the request comes from the browser's htmx (which swaps only 2xx answers into the page). */
    public static boolean isHtmx(Context ctx) {
        return "true".equals(ctx.header("HX-Request"));
    }

    /** A browser's page (not the API): errors answer with a short HTML page instead of JSON. */
    public static boolean isPage(Context ctx) {
        return !ctx.path().startsWith("/api/") && !ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/");
    }
}
