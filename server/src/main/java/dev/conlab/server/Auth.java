package dev.conlab.server;

import dev.conlab.db.TokenStore;
import io.javalin.http.Context;

import java.util.Set;

/** Every write over the API needs {@code Authorization: Bearer <token>} whose token has the endpoint's scope. */
public final class Auth {

    private Auth() {
    }

    public static void require(Context ctx, TokenStore tokens, String scope) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "this endpoint needs a token: send Authorization: Bearer <token> "
                    + "(create one with: conlab token create --name NAME --scopes " + scope + ")");
        }
        Set<String> scopes = tokens.scopesOf(header.substring(7).trim()).orElse(null);
        if (scopes == null) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new ApiException(401, "the token is unknown or revoked");
        }
        if (!scopes.contains(scope)) {
            throw new ApiException(403, "this token lacks the '" + scope + "' scope (it has " + String.join(", ", scopes) + ")");
        }
    }
}
