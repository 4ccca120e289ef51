package dev.conlab.db;

import org.jooq.DSLContext;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static dev.conlab.db.jooq.Tables.COMPARISON;

/** Shared comparisons: created once under a random slug, never changed, only retracted. */
public final class ComparisonStore {

    /** @param query the comparison's request (runs, baseline, filters) as the page's links write it */
    public record Shared(String slug, String title, String note, String query, String snapshotJson, OffsetDateTime createdAt,
                         OffsetDateTime retractedAt) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private final DSLContext dsl;

    public ComparisonStore(Database database) {
        this.dsl = database.dsl();
    }

    /** Stores a comparison under a new unguessable slug (14 characters, ≈ 80 bits); returns the slug. */
    public String create(String title, String note, String query, String snapshotJson) {
        String slug = slug();
        dsl.insertInto(COMPARISON)
                .set(COMPARISON.SLUG, slug)
                .set(COMPARISON.TITLE, title)
                .set(COMPARISON.NOTE, note)
                .set(COMPARISON.QUERY, query)
                .set(COMPARISON.SNAPSHOT_JSON, snapshotJson)
                .set(COMPARISON.CREATED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .execute();
        return slug;
    }

    public Optional<Shared> get(String slug) {
        return dsl.selectFrom(COMPARISON).where(COMPARISON.SLUG.eq(slug)).fetchOptional(r -> new Shared(r.getSlug(), r.getTitle(),
                r.getNote(), r.getQuery(), r.getSnapshotJson(), r.getCreatedAt(), r.getRetractedAt()));
    }

    /** Whether a comparison exists and is live, without reading its snapshot: empty if none, else whether it was retracted. */
    public Optional<Boolean> retracted(String slug) {
        return dsl.select(COMPARISON.RETRACTED_AT).from(COMPARISON).where(COMPARISON.SLUG.eq(slug))
                .fetchOptional(r -> r.value1() != null);
    }

    /** Retracts a comparison; false if there is none with this slug or it was retracted before. */
    public boolean retract(String slug) {
        return dsl.update(COMPARISON).set(COMPARISON.RETRACTED_AT, OffsetDateTime.now(ZoneOffset.UTC))
                .where(COMPARISON.SLUG.eq(slug)).and(COMPARISON.RETRACTED_AT.isNull()).execute() == 1;
    }

    private static String slug() {
        var sb = new StringBuilder(14);
        for (int i = 0; i < 14; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        return sb.toString();
    }
}
