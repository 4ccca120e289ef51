package dev.conlab.server.http;

import dev.conlab.server.core.Limits;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a request body with the document limit. */
public final class Bodies {

    private Bodies() {
    }

    /**
     * The body, at most {@link Limits#MAX_DOCUMENT_BYTES}. A larger one is read to its end (up to
     * {@link Limits#MAX_DRAINED_BYTES}) and thrown away before the 413 is answered: a client that writes its whole body
     * before reading the answer (Python's urllib, most scripts) then gets the 413 and its sentence, not a broken pipe.
     */
    public static byte[] document(Context ctx) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        InputStream in = ctx.req().getInputStream();
        if (declared > Limits.MAX_DOCUMENT_BYTES) {
            drain(in, Limits.MAX_DRAINED_BYTES);
            throw new HttpError(413, Limits.documentTooLarge(declared));
        }
        var out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buffer)) >= 0) {
            total += n;
            if (total > Limits.MAX_DOCUMENT_BYTES) {
                drain(in, Limits.MAX_DRAINED_BYTES - total);
                throw new HttpError(413, Limits.documentTooLarge(null));
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in, long atMost) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = atMost;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0) left -= n;
    }
}
