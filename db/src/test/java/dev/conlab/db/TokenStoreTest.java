package dev.conlab.db;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static dev.conlab.db.jooq.Tables.API_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenStoreTest {

    @OnEachStore
    void a_token_is_stored_only_as_a_hash_and_answers_with_its_scopes_until_revoked(TestDatabases.Named db) {
        try (Database database = db.open().get()) {
            TokenStore tokens = new TokenStore(database);
            String secret = tokens.create("ci-runner", Set.of(Scope.UPLOAD));
            assertThat(secret).startsWith("clb_").hasSizeGreaterThan(40);
            assertThat(database.dsl().select(API_TOKEN.TOKEN_SHA256).from(API_TOKEN).fetchOne(API_TOKEN.TOKEN_SHA256))
                    .isNotEqualTo(secret).hasSize(64);
            assertThat(tokens.scopesOf(secret)).contains(Set.of(Scope.UPLOAD));
            assertThat(tokens.scopesOf(secret + "x")).isEmpty();
            assertThat(tokens.list()).singleElement().satisfies(t -> assertThat(t.revokedAt()).isNull());
            assertThat(tokens.revoke("ci-runner")).isTrue();
            assertThat(tokens.revoke("ci-runner")).isFalse();
            assertThat(tokens.scopesOf(secret)).isEmpty();
        }
    }

    @OnEachStore
    void a_second_token_with_the_same_name_is_refused(TestDatabases.Named db) {
        try (Database database = db.open().get()) {
            TokenStore tokens = new TokenStore(database);
            tokens.create("laptop", Set.of(Scope.UPLOAD, Scope.ADMIN));
            assertThatThrownBy(() -> tokens.create("laptop", Set.of(Scope.UPLOAD))).hasMessageContaining("exists already");
        }
    }

    @Test
    void scopes_and_names_are_checked() {
        assertThat(Scope.parse("upload, admin")).containsExactly(Scope.UPLOAD, Scope.ADMIN);
        assertThatThrownBy(() -> Scope.parse("upload,root")).hasMessageContaining("valid scopes: upload, queue, admin");
        assertThatThrownBy(() -> Scope.parse(" , ")).hasMessageContaining("at least one scope");
    }
}
