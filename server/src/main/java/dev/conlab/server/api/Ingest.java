package dev.conlab.server.api;

import dev.conlab.bench.RunDocument;
import dev.conlab.db.RunStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The one way a document enters the store: validate, then insert all of it or nothing. Upload, import and the sample data use it. */
public final class Ingest {

    /** The document was refused; every problem has its JSON path. */
    public static final class InvalidDocumentException extends RuntimeException {
        private final List<DocumentValidator.Problem> problems;

        InvalidDocumentException(List<DocumentValidator.Problem> problems) {
            super("not a valid " + RunDocument.SCHEMA + " result document");
            this.problems = problems;
        }

        public List<DocumentValidator.Problem> problems() {
            return problems;
        }
    }

    /** What was stored, and the document read from the text. */
    public record Outcome(RunStore.Stored stored, RunDocument document) {
    }

    private Ingest() {
    }

    /**
     * @throws InvalidDocumentException when the text is not a valid document
     * @throws dev.conlab.db.ConflictException when another document has its id
     */
    public static Outcome store(RunStore runs, String text, RunStore.Source source) {
        DocumentValidator.Result result = DocumentValidator.validate(text);
        if (!result.valid()) throw new InvalidDocumentException(result.problems());
        return new Outcome(runs.insert(result.document(), text, source), result.document());
    }

    /**
     * The body of an upload as text: strict UTF-8 (JSON's encoding), a leading byte-order mark dropped. Bytes that
     * are not UTF-8 refuse the document instead of being replaced, so what is stored is what was sent.
     */
    public static String decode(byte[] body) {
        int start = body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF ? 3 : 0;
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        var in = java.nio.ByteBuffer.wrap(body, start, body.length - start);
        try {
            return decoder.decode(in).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new InvalidDocumentException(List.of(new DocumentValidator.Problem("$", "the body is not valid UTF-8 (byte "
                    + in.position() + " cannot start or continue a character): send the document as UTF-8")));
        }
    }

    /** Loads every {@code *.json} in {@code dir} (sorted by name) into an empty store; returns how many were stored. */
    public static int loadSampleData(RunStore runs, Path dir) throws IOException {
        if (runs.count() > 0 || !Files.isDirectory(dir)) return 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        int stored = 0;
        for (Path file : files) {
            if (store(runs, Files.readString(file), RunStore.Source.UPLOAD).stored().created()) stored++;
        }
        return stored;
    }
}
