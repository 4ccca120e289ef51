package dev.conlab.server.http;

import dev.conlab.db.Scope;
import dev.conlab.db.TokenStore;
import io.javalin.http.Context;

import java.util.Set;

/**
 * The one check of who may write: before a route that declares an {@link Access} role runs, the request must carry a
 * live token with that scope — as {@code Authorization: Bearer …} on the API, or typed in the form (or remembered for
 * the browser session) on a page, where the form must also come from this server (CSRF).
 */
public final class Auth {

    private final TokenStore tokens;

    public Auth(TokenStore tokens) {
        this.tokens = tokens;
    }

    /** Javalin's before-matched handler. */
    public void check(Context ctx) {
        for (var role : ctx.routeRoles()) {
            if (role instanceof Access access) {
                if (Requests.isPage(ctx)) form(ctx, access.scope());
                else api(ctx, access.scope());
            }
        }
    }

    private void api(Context ctx, Scope scope) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "this endpoint needs a token: send Authorization: Bearer <token> "
                    + "(create one with: conlab token create --name NAME --scopes " + scope.id() + ")");
        }
        TokenStore.Identity identity = tokens.identify(header.substring(7).trim()).orElse(null);
        Set<Scope> scopes = identity == null ? null : identity.scopes();
        if (scopes == null) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new HttpError(401, "the token is unknown or revoked");
        }
        if (!scopes.contains(scope)) {
            throw new HttpError(403, "this token lacks the '" + scope.id() + "' scope (it has " + Scope.join(scopes).replace(",", ", ") + ")");
        }
        ctx.attribute(TOKEN, identity);
    }

    /** The request's token, once checked (routes with an {@link Access} role only). */
    public static TokenStore.Identity token(Context ctx) {
        TokenStore.Identity identity = ctx.attribute(TOKEN);
        if (identity == null) throw new IllegalStateException("no checked token on " + ctx.path());
        return identity;
    }

    private static final String TOKEN = "conlab.token";

    private void form(Context ctx, Scope scope) {
        Forms.checkCsrf(ctx);
        String token = Forms.token(ctx);
        if (token == null || token.isBlank()) {
            throw new HttpError(401, "this needs a token with the '" + scope.id() + "' scope: type it in the form "
                    + "(create one with: conlab token create --name NAME --scopes " + scope.id() + ")");
        }
        var scopes = tokens.scopesOf(token).orElseThrow(() -> new HttpError(401, "unknown or revoked token"));
        if (!scopes.contains(scope)) throw new HttpError(403, "this token lacks the '" + scope.id() + "' scope");
        Forms.remember(ctx);
    }
}
