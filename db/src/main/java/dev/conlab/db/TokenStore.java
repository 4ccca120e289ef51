package dev.conlab.db;

import org.jooq.DSLContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.conlab.db.jooq.Tables.API_TOKEN;

/**
 * API tokens: shown once when created, stored only as a SHA-256 hash, each with its {@link Scope}s.
 */
public final class TokenStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Token(String name, Set<Scope> scopes, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
    }

    private final DSLContext dsl;

    public TokenStore(Database database) {
        this.dsl = database.dsl();
    }

    /** Creates a token and returns its secret, which is not stored and cannot be shown again. */
    public String create(String name, Set<Scope> scopes) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("bad token name '" + name + "': use 1-100 letters, digits, '.', '_' or '-'");
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String secret = "clb_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        boolean inserted = dsl.transactionResult(c -> {
            var tx = org.jooq.impl.DSL.using(c);
            if (tx.fetchExists(API_TOKEN, API_TOKEN.NAME.eq(name))) return false;
            tx.insertInto(API_TOKEN)
                    .set(API_TOKEN.NAME, name)
                    .set(API_TOKEN.TOKEN_SHA256, sha256(secret))
                    .set(API_TOKEN.SCOPES, Scope.join(scopes))
                    .set(API_TOKEN.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                    .execute();
            return true;
        });
        if (!inserted) throw new IllegalArgumentException("a token named '" + name + "' exists already; revoke it or choose another name");
        return secret;
    }

    public List<Token> list() {
        return dsl.selectFrom(API_TOKEN).orderBy(API_TOKEN.CREATED_AT, API_TOKEN.ID).fetch(r -> new Token(r.getName(),
                stored(r.getScopes()), r.getCreatedAt(), r.getRevokedAt()));
    }

    /** Revokes a live token; false if there is no live token of that name. */
    public boolean revoke(String name) {
        return dsl.update(API_TOKEN).set(API_TOKEN.REVOKED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(API_TOKEN.NAME.eq(name)).and(API_TOKEN.REVOKED_AT.isNull()).execute() == 1;
    }

    /** A live token as a request presents it: its id (agents are bound to it) and its scopes. */
    public record Identity(long id, String name, Set<Scope> scopes) {
    }

    /** The scopes of a live token, or empty for an unknown or revoked one. */
    public Optional<Set<Scope>> scopesOf(String secret) {
        return identify(secret).map(Identity::scopes);
    }

    /** The live token with this secret, or empty for an unknown or revoked one. */
    public Optional<Identity> identify(String secret) {
        if (secret == null || secret.isEmpty()) return Optional.empty();
        String hash = sha256(secret);
        var row = dsl.select(API_TOKEN.TOKEN_SHA256, API_TOKEN.SCOPES, API_TOKEN.ID, API_TOKEN.NAME).from(API_TOKEN)
                .where(API_TOKEN.TOKEN_SHA256.eq(hash)).and(API_TOKEN.REVOKED_AT.isNull()).fetchOne();
        if (row == null) return Optional.empty();
        // The lookup is by hash, so timing reveals nothing about the secret; compare once more in constant time.
        if (!MessageDigest.isEqual(row.value1().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(new Identity(row.value3(), row.value4(), stored(row.value2())));
    }

    /** The scopes as stored; an id this version does not know (written by a newer lab) grants nothing. */
    private static Set<Scope> stored(String text) {
        var scopes = new LinkedHashSet<Scope>();
        for (String id : text.split(",")) Scope.find(id.trim()).ifPresent(scopes::add);
        return scopes;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
