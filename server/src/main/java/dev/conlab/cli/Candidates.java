package dev.conlab.cli;

import dev.conlab.bench.ForkMode;
import dev.conlab.bench.Suite;
import dev.conlab.db.Scope;

import java.util.Arrays;
import java.util.Iterator;

/** The valid values of options whose choices live in an enum elsewhere, for --help's ${COMPLETION-CANDIDATES}. */
final class Candidates {

    private Candidates() {
    }

    static final class Suites implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Suite.values()).map(Suite::id).iterator();
        }
    }

    static final class ForkModes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(ForkMode.values()).map(ForkMode::id).iterator();
        }
    }

    static final class Scopes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Scope.values()).map(Scope::id).iterator();
        }
    }
}
