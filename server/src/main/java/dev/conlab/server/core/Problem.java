package dev.conlab.server.core;

/**
 * One thing wrong with what a client sent.
 *
 * @param path    where, as a JSON path ({@code $.results[0].status}) or the name of a field
 * @param message what is wrong and how to fix it
 */
public record Problem(String path, String message) {
}
