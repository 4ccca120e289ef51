package dev.conlab.server.web;

import dev.conlab.server.compare.ComparisonRequest;
import dev.conlab.server.compare.ComparisonService;
import dev.conlab.server.http.Forms;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

/** The comparison pages: a live comparison with its filters and share form, and a shared one at its permalink. */
public final class ComparePages {

    private final Templates templates;
    private final ComparisonService comparisons;
    private final PageCache cache = new PageCache(256);

    public ComparePages(Templates templates, ComparisonService comparisons) {
        this.templates = templates;
        this.comparisons = comparisons;
    }

    public void compare(Context ctx) {
        var request = ComparisonRequest.parse(ctx::queryParams);
        templates.render(ctx, "compare.jte", CompareView.page(comparisons.compute(request), request, Forms.csrf(ctx)));
    }

    public void share(Context ctx) {
        var request = ComparisonRequest.parse(ctx.formParam("query"));
        String slug = comparisons.share(request, ctx.formParam("title"), ctx.formParam("note"));
        ctx.redirect("/c/" + slug, HttpStatus.SEE_OTHER);
    }

    /** A shared comparison never changes (until it is retracted: checked on every request): rendered once, kept. */
    public void shared(Context ctx) {
        String slug = ctx.pathParam("slug");
        comparisons.checkLive(slug);
        cache.answer(ctx, "c " + slug, () -> {
            var shared = comparisons.shared(slug);
            return templates.html("compare.jte", CompareView.shared(comparisons.snapshot(shared), shared));
        });
    }
}
