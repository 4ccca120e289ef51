package dev.conlab.db;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What a token may write. Reading is open; each write endpoint and form declares the scope it needs. */
public enum Scope {
    /** Store result documents and share comparisons. */
    UPLOAD,
    /** Queue, cancel and retry runs on the server's host. */
    QUEUE,
    /** Delete runs, rename machines, retract shared comparisons. */
    ADMIN,
    /** Register one machine as an agent (conlab agent) and take and report the runs queued for it, and nothing else. */
    AGENT;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String ids() {
        return Arrays.stream(values()).map(Scope::id).collect(Collectors.joining(", "));
    }

    /** The scope of this id, or empty. */
    public static java.util.Optional<Scope> find(String id) {
        return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
    }

    /** Parses "upload,queue"; a bad scope is an {@link IllegalArgumentException} naming the valid ones. */
    public static Set<Scope> parse(String text) {
        var scopes = new LinkedHashSet<Scope>();
        for (String s : text.split(",")) {
            String id = s.trim();
            if (id.isEmpty()) continue;
            scopes.add(find(id).orElseThrow(() ->
                    new IllegalArgumentException("unknown scope '" + id + "'; valid scopes: " + ids())));
        }
        if (scopes.isEmpty()) throw new IllegalArgumentException("a token needs at least one scope: " + ids());
        return scopes;
    }

    /** "upload,queue" as stored. */
    public static String join(Set<Scope> scopes) {
        return scopes.stream().map(Scope::id).collect(Collectors.joining(","));
    }

    @Override
    public String toString() {
        return id();
    }
}
