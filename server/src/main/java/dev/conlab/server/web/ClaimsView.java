package dev.conlab.server.web;

import dev.conlab.server.claims.ClaimBook;
import dev.conlab.server.claims.ClaimJudge;
import dev.conlab.server.claims.ClaimsService;
import dev.conlab.web.Views;

import java.util.ArrayList;
import java.util.Map;

/** The claims page's view model, from the claims' answer. */
public final class ClaimsView {

    private static final Map<String, String> WORDS = Map.of(ClaimJudge.HOLDS, "holds", ClaimJudge.PARTLY, "holds partly",
            ClaimJudge.DOES_NOT_HOLD, "does not hold", ClaimJudge.NOT_MEASURED, "not measured yet");

    private ClaimsView() {
    }

    public static Views.ClaimsPage page(ClaimsService.Answer a, String csrf, boolean tokenRemembered) {
        var rows = new ArrayList<Views.ClaimRow>();
        boolean any = false;
        for (ClaimsService.Row r : a.claims()) {
            var verdicts = new ArrayList<Views.ClaimVerdict>();
            for (ClaimsService.RowVerdict v : r.verdicts()) {
                any |= !v.verdict().equals(ClaimJudge.NOT_MEASURED);
                verdicts.add(new Views.ClaimVerdict(v.machine(), v.runtime(), v.verdict(), WORDS.get(v.verdict()),
                        v.figures().stream().map(f -> new Views.ClaimFigure(f.text(), f.url(),
                                f.outcome() == null ? "undecided" : f.outcome() ? "as-claimed" : "not-as-claimed")).toList()));
            }
            var run = ClaimBook.Run.of(r.command());
            rows.add(new Views.ClaimRow(r.id(), r.article(), r.claim(), r.theirFigures(), r.check(), r.command(), r.verdict(),
                    WORDS.get(r.verdict()), verdicts, new Views.ClaimRun(run.suite(), run.pythons(), run.workloads(), run.models(),
                    String.join(" ", run.params()))));
        }
        return new Views.ClaimsPage(a.rule(), rows, any ? null
                : "Nothing measured yet on this lab's Python runtimes: each claim says the command that would measure it.", csrf, tokenRemembered);
    }
}
