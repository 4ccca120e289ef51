package dev.conlab.db;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a store test once per test database — H2 always, PostgreSQL where configured ({@link TestDatabases}) — with the
 * database as its parameter ({@link TestDatabases.Named}: the test opens it). The store-level twin of the server tests'
 * {@code @OnEachDatabase}, which gives a started server on each instead.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("dev.conlab.db.TestDatabases#all")
public @interface OnEachStore {
}
