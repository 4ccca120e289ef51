package dev.conlab.server.http;

import dev.conlab.db.Scope;
import io.javalin.security.RouteRole;

/**
 * The scope a route needs, declared in the route table as a Javalin route role ({@code post("/api/runs", …,
 * Access.UPLOAD)}) and checked in one place before the handler runs, for the API and the forms alike.
 */
public record Access(Scope scope) implements RouteRole {

    public static final Access UPLOAD = new Access(Scope.UPLOAD);
    public static final Access QUEUE = new Access(Scope.QUEUE);
    public static final Access ADMIN = new Access(Scope.ADMIN);
    public static final Access AGENT = new Access(Scope.AGENT);
}
