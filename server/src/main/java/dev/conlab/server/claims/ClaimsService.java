package dev.conlab.server.claims;

import java.util.ArrayList;
import java.util.List;

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
}
