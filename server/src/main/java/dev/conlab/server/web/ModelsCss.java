package dev.conlab.server.web;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.Model;
import io.javalin.http.Context;

/**
 * GET /models.css: each model's colour for the swatches of every table and legend ({@code <span class="swatch"
 * data-model="…">}), made from the catalog so that no template or script keeps its own list.
 */
public final class ModelsCss {

    private final String css;

    public ModelsCss() {
        var out = new StringBuilder("/* Made from the catalog: one colour per model. */\n");
        for (Model m : Catalog.MODELS) {
            out.append(".swatch[data-model=\"").append(m.id()).append("\"] { background: ").append(m.colour()).append("; }\n");
        }
        for (var m : dev.conlab.bench.Vocabulary.python().models()) {
            out.append(".swatch[data-model=\"").append(m.id()).append("\"] { background: ").append(m.colour()).append("; }\n");
        }
        css = out.toString();
    }

    public void serve(Context ctx) {
        ctx.contentType("text/css; charset=utf-8").header("Cache-Control", "public, max-age=3600").result(css);
    }
}
