package dev.conlab.server.claims;

import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The claims as the API answers them and as the page shows them: one judging, two shapes. */
public final class ClaimsService {

    /** GET /api/claims: one row per claim; {@code verdicts} per machine and runtime. */
    public record Answer(String rule, List<Row> claims) {
    }

    public record Row(String id, String article, String claim, String theirFigures, String check, String command, String verdict,
                      List<RowVerdict> verdicts) {
    }

    public record RowVerdict(String machine, long machineId, String runtime, String verdict, List<Figure> figures) {
    }

    /** One condition's figure; {@code outcome} true (as claimed), false (not), null (undecided or not measured). */
    public record Figure(String text, Boolean outcome, Long runId, String url) {
    }

    private static final Map<String, String> WORDS = Map.of(ClaimJudge.HOLDS, "holds", ClaimJudge.PARTLY, "holds partly",
            ClaimJudge.DOES_NOT_HOLD, "does not hold", ClaimJudge.NOT_MEASURED, "not measured yet");

    private final ClaimJudge judge;

    public ClaimsService(ClaimJudge judge) {
        this.judge = judge;
    }

    public Answer answer() {
        var rows = new ArrayList<Row>();
        for (ClaimJudge.Judged j : judge.judge()) {
            var verdicts = j.verdicts().stream().map(v -> new RowVerdict(v.machine(), v.machineId(), v.runtime(), v.verdict(),
                    v.figures().stream().map(f -> new Figure(f.text(), f.outcome(), f.runId(), f.runId() == null ? null : "/runs/" + f.runId()))
                            .toList())).toList();
            var c = j.claim();
            rows.add(new Row(c.id(), c.article(), c.claim(), c.theirFigures(), c.check(), c.command(), j.verdict(), verdicts));
        }
        return new Answer(ClaimJudge.RULE, rows);
    }

    public Views.ClaimsPage page() {
        Answer a = answer();
        var rows = new ArrayList<Views.ClaimRow>();
        boolean any = false;
        for (Row r : a.claims()) {
            var verdicts = new ArrayList<Views.ClaimVerdict>();
            for (RowVerdict v : r.verdicts()) {
                any |= !v.verdict().equals(ClaimJudge.NOT_MEASURED);
                verdicts.add(new Views.ClaimVerdict(v.machine(), v.runtime(), v.verdict(), WORDS.get(v.verdict()),
                        v.figures().stream().map(f -> new Views.ClaimFigure(f.text(), f.url(),
                                f.outcome() == null ? "undecided" : f.outcome() ? "as-claimed" : "not-as-claimed")).toList()));
            }
            rows.add(new Views.ClaimRow(r.id(), r.article(), r.claim(), r.theirFigures(), r.check(), r.command(), r.verdict(),
                    WORDS.get(r.verdict()), verdicts));
        }
        return new Views.ClaimsPage(a.rule(), rows, any ? null
                : "Nothing measured yet on this lab's Python runtimes: each claim says the command that would measure it.");
    }
}
