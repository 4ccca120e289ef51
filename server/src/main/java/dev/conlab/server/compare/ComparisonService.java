package dev.conlab.server.compare;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.conlab.db.ComparisonStore;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Mappers;
import dev.conlab.server.runs.RunService;

import java.util.ArrayList;

/**
 * Comparisons of runs against a baseline, computed from their documents; shared comparisons are frozen snapshots
 * under a random slug that render the same numbers later, whatever arrives or changes, until an admin retracts them.
 */
public final class ComparisonService {

    private final RunService runs;
    private final ComparisonStore store;

    public ComparisonService(RunService runs, ComparisonStore store) {
        this.runs = runs;
        this.store = store;
    }

    public Comparison compute(ComparisonRequest request) {
        var inputs = new ArrayList<Comparison.Input>();
        for (long id : request.runs()) {
            RunStore.RunRow row = runs.find(id).orElseThrow(() -> new LabException.NotFound("no run " + id + "; /runs lists them"));
            inputs.add(new Comparison.Input(id, row.machineLabel(), row.source(), runs.document(row)));
        }
        return Comparison.of(inputs, request.baseline(), request.workloads(), request.models(), request.sortByChange());
    }

    /**
     * Computes the comparison now and stores it as it is, under a new slug.
     *
     * @return the slug
     */
    public String share(ComparisonRequest request, String title, String note) {
        String t = title == null ? "" : title.strip();
        if (t.isEmpty() || t.length() > 200) throw new LabException.Invalid("a shared comparison needs a title of 1 to 200 characters");
        String n = note == null || note.isBlank() ? null : note.strip();
        if (n != null && n.length() > 4000) throw new LabException.Invalid("the note is " + n.length() + " characters; the limit is 4000");
        return store.create(t, n, request.query(), Mappers.write(compute(request)));
    }

    /** A shared comparison: {@link LabException.NotFound} when there is none, {@link LabException.Gone} once retracted. */
    public ComparisonStore.Shared shared(String slug) {
        var shared = store.get(slug).orElseThrow(() -> new LabException.NotFound("no shared comparison '" + slug + "'"));
        if (shared.retractedAt() != null) throw new LabException.Gone("this comparison was retracted by its owner");
        return shared;
    }

    /** Checks that a shared comparison exists and is live, without reading its numbers (for a page answered from a cache). */
    public void checkLive(String slug) {
        boolean retracted = store.retracted(slug).orElseThrow(() -> new LabException.NotFound("no shared comparison '" + slug + "'"));
        if (retracted) throw new LabException.Gone("this comparison was retracted by its owner");
    }

    /** The numbers a shared comparison froze. */
    public Comparison snapshot(ComparisonStore.Shared shared) {
        try {
            return Mappers.JSON.readValue(shared.snapshotJson(), Comparison.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("comparison " + shared.slug() + " holds JSON this version cannot read", e);
        }
    }

    /** From now on the slug answers 410. */
    public void retract(String slug) {
        if (store.get(slug).isEmpty()) throw new LabException.NotFound("no shared comparison '" + slug + "'");
        store.retract(slug);
    }
}
