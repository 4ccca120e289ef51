package dev.conlab.server.http;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * What the browser forms share: a CSRF token (a random cookie the form repeats in a hidden field; a cross-site page
 * can send the cookie but cannot read it to fill the field), and the bearer token the user typed, remembered in an
 * HttpOnly, SameSite=Strict session cookie so that cancel buttons work without retyping.
 */
public final class Forms {

    static final String CSRF_COOKIE = "conlab_csrf";
    static final String TOKEN_COOKIE = "conlab_token";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Forms() {
    }

    /** This browser's CSRF token, made (and set as a cookie) on its first page. */
    public static String csrf(Context ctx) {
        String existing = ctx.attribute(CSRF_COOKIE) != null ? ctx.attribute(CSRF_COOKIE) : ctx.cookie(CSRF_COOKIE);
        if (existing != null && existing.matches("[A-Za-z0-9_-]{20,64}")) return existing;
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        ctx.cookie(cookie(CSRF_COOKIE, token));
        ctx.attribute(CSRF_COOKIE, token);
        return token;
    }

    /**
     * Refuses a form post from another site: its Origin (sent by every current browser on a POST) must be this
     * server, and its CSRF field must repeat this browser's cookie.
     */
    static void checkCsrf(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !sameHost(origin, ctx.host())) {
            throw new HttpError(403, "a form posted from another site (" + origin + ") is refused: use the form on this server's own page");
        }
        String cookie = ctx.cookie(CSRF_COOKIE);
        String field = ctx.formParam("csrf");
        if (cookie == null || field == null || !MessageDigest.isEqual(cookie.getBytes(), field.getBytes())) {
            throw new HttpError(403, "the form's CSRF token does not match this browser's: reload the page and send it again");
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            String authority = java.net.URI.create(origin.strip()).getAuthority();
            return authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The token typed in the form, else the one remembered for this browser session. */
    static String token(Context ctx) {
        String typed = ctx.formParam("token");
        return typed != null && !typed.isBlank() ? typed.strip() : ctx.cookie(TOKEN_COOKIE);
    }

    /** Whether this browser session remembers a token (a form then needs no token field). */
    public static boolean tokenRemembered(Context ctx) {
        String remembered = ctx.cookie(TOKEN_COOKIE);
        return remembered != null && !remembered.isBlank();
    }

    /** Remembers a token typed in the form (once it proved to have the scope it was used for). */
    static void remember(Context ctx) {
        String typed = ctx.formParam("token");
        if (typed != null && !typed.isBlank()) ctx.cookie(cookie(TOKEN_COOKIE, typed.strip()));
    }

    private static Cookie cookie(String name, String value) {
        Cookie c = new Cookie(name, value);
        c.setPath("/");
        c.setHttpOnly(true);
        c.setSameSite(SameSite.STRICT);
        c.setMaxAge(-1);
        return c;
    }
}
