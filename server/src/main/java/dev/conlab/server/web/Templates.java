package dev.conlab.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;

/** The precompiled JTE templates of the web module: each page renders one view-model record. */
public final class Templates {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    public void render(Context ctx, String template, Object page) {
        ctx.html(html(template, page));
    }

    String html(String template, Object page) {
        var out = new StringOutput();
        engine.render(template, page, out);
        return out.toString();
    }
}
