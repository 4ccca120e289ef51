package dev.conlab.cli;

import java.util.function.Consumer;

/** Waits longer after each failure (0.5 s, doubling, at most 10 s) and says so once per outage, and once when it is over. */
final class Backoff {

    private final Consumer<String> say;
    private long millis = 500;
    private boolean told;

    Backoff(Consumer<String> say) {
        this.say = say;
    }

    /** A failure: say why (the first time of an outage), then wait. */
    void pause(String why) throws InterruptedException {
        if (!told) say.accept(why + "; trying again with back-off");
        told = true;
        Thread.sleep(millis);
        millis = Math.min(10_000, millis * 2);
    }

    /** A success: the next failure waits 0.5 s again. */
    void reset(String back) {
        if (told && back != null) say.accept(back);
        millis = 500;
        told = false;
    }
}
