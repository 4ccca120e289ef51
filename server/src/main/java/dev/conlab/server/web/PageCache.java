package dev.conlab.server.web;

import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Rendered pages of things that never change — a finished run, a shared comparison — kept as HTML with a validator:
 * rendered once, then answered from memory, with an {@code ETag} so that browsers and proxies can keep them too
 * ({@code If-None-Match} gets a 304 without a body). The key names everything the page shows that could still change
 * (a machine's label); whether the thing still exists is checked by the caller on every request.
 */
final class PageCache {

    /** A rendered page and its validator. */
    record Page(String html, String etag) {
    }

    /** Changes with every start of the server: a new version's templates are never answered with an old page's ETag. */
    private static final String INSTANCE = UUID.randomUUID().toString().substring(0, 8);

    private final Map<String, Page> pages;

    PageCache(int size) {
        this.pages = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Page> eldest) {
                return size() > size;
            }
        };
    }

    /** The page under {@code key}, rendered by {@code render} the first time; answered with its validators. */
    void answer(Context ctx, String key, Supplier<String> render) {
        Page page;
        synchronized (pages) {
            page = pages.get(key);
        }
        if (page == null) {
            String html = render.get();
            page = new Page(html, "\"" + INSTANCE + "-" + Integer.toHexString(key.hashCode()) + "-" + Integer.toHexString(html.hashCode()) + "\"");
            synchronized (pages) {
                pages.put(key, page);
            }
        }
        ctx.header("ETag", page.etag());
        // may be kept, but asked about again after a minute: a run can be deleted, a machine renamed, a comparison retracted
        ctx.header("Cache-Control", "public, max-age=60, must-revalidate");
        String match = ctx.header("If-None-Match");
        if (match != null && (match.equals(page.etag()) || match.equals("W/" + page.etag()))) {
            ctx.status(304);
        } else {
            ctx.html(page.html());
        }
    }
}
