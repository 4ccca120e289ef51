package dev.conlab.server.queue;

import java.time.Duration;

/** The fleet's timings, one place: how long an agent waits in a poll, and when it counts as offline. */
public final class Fleetwide {

    /** How long a claim waits for a run before it answers "nothing" (the agent then asks again at once). */
    public static final int POLL_SECONDS = 20;

    /** An agent not heard from for this long (two polls and a margin) is shown offline, and {@code all} skips it. */
    public static final Duration OFFLINE_AFTER = Duration.ofSeconds(2L * POLL_SECONDS + 15);

    private Fleetwide() {
    }
}
