package dev.conlab.server.runs;

import dev.conlab.bench.RunDocument;
import dev.conlab.bench.jmh.JmhImport;
import dev.conlab.db.RunStore;
import dev.conlab.server.core.LabException;
import dev.conlab.server.core.Limits;
import dev.conlab.server.core.Problem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one way a document enters the store: decode, validate, then insert all of it or nothing. Uploads, imports and
 * the sample data use it; a refusal is a {@link LabException.Invalid} with every problem and its JSON path, or a
 * {@link LabException.Conflict} when another document has the id.
 */
public final class Ingest {

    /** What was stored, and the document read from the text. */
    public record Outcome(RunStore.Stored stored, RunDocument document) {
    }

    private final RunStore runs;

    public Ingest(RunStore runs) {
        this.runs = runs;
    }

    /** Validates and stores a document's text. */
    public Outcome store(String text, RunStore.Source source) {
        DocumentValidator.Result result = DocumentValidator.validate(text);
        if (!result.valid()) {
            throw new LabException.Invalid("the document is not a valid " + RunDocument.SCHEMA + " result document", result.problems());
        }
        try {
            return new Outcome(runs.insert(result.document(), text, source), result.document());
        } catch (dev.conlab.db.ConflictException e) {
            throw new LabException.Conflict(e.getMessage() + "; a document id names one run: make a new id for a new run");
        }
    }

    /**
     * Makes a result document of a JMH result file ({@link JmhImport}) measured on {@code machine}, and stores it. A file
     * with a problem is refused with each problem at its JSON path in the JMH file; the same file imported again for the
     * same machine is the run stored the first time.
     *
     * @param finishedAt when JMH finished (it does not record it): the file's time, or the upload's
     * @param file       the file's name, or null
     */
    public Outcome storeJmh(String text, dev.conlab.bench.MachineInfo machine, java.time.Instant finishedAt, String file,
                            RunStore.Source source) {
        JmhImport.Result result = JmhImport.convert(text, machine, finishedAt, file);
        if (!result.valid()) {
            throw new LabException.Invalid("not a JMH result file the lab can read (java -jar benchmarks.jar -rf json writes one)",
                    result.problems().stream().map(p -> new Problem(p.path(), p.message())).toList());
        }
        RunDocument doc = result.document();
        var existing = runs.idOfDocument(doc.id());
        if (existing.isPresent()) return new Outcome(new RunStore.Stored(existing.get(), false), doc);
        try {
            return store(dev.conlab.bench.Json.MAPPER.writeValueAsString(doc), source);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the document of a JMH file", e);
        }
    }

    /** Decodes and stores a body as sent (an upload); see {@link #decode}. */
    public Outcome store(byte[] body, RunStore.Source source) {
        return store(decode(body), source);
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
            String why = "the body is not valid UTF-8 (byte " + in.position() + " cannot start or continue a character): send the document as UTF-8";
            throw new LabException.Invalid(why, List.of(new Problem("$", why)));
        }
    }

    /** What a bulk import did: documents stored, already stored, and the refused ones' reasons ("line 12: $.suite: …"). */
    public record Bulk(int stored, int already, List<String> refused) {
    }

    /** Documents per group: validated in parallel, then stored in one transaction ({@link RunStore#insertAll}). */
    static final int BULK_GROUP = 256;

    /**
     * Stores many documents, one per line (NDJSON; blank lines skipped): the bulk import of a year of nightly runs.
     * Each document is validated and stored all or nothing as an upload would be, but many per transaction, validated
     * on every core; a refused one is reported with its line and does not stop the others.
     *
     * @param progress told the number of lines read after every group
     */
    public Bulk storeLines(java.io.BufferedReader in, RunStore.Source source, java.util.function.IntConsumer progress) throws IOException {
        int stored = 0;
        int already = 0;
        var refused = new java.util.ArrayList<String>();
        int lineNo = 0;
        while (true) {
            var texts = new java.util.ArrayList<String>();
            var lines = new java.util.ArrayList<Integer>();
            String line;
            while (texts.size() < BULK_GROUP && (line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                if (line.length() > Limits.MAX_DOCUMENT_BYTES) {
                    refused.add("line " + lineNo + ": larger than " + Limits.MAX_DOCUMENT_TEXT + ", the document limit");
                    continue;
                }
                texts.add(line);
                lines.add(lineNo);
            }
            if (texts.isEmpty()) break;
            List<DocumentValidator.Result> results = texts.parallelStream().map(DocumentValidator::validate).toList();
            var docs = new java.util.ArrayList<RunDocument>();
            var raws = new java.util.ArrayList<String>();
            var docLines = new java.util.ArrayList<Integer>();
            for (int i = 0; i < texts.size(); i++) {
                DocumentValidator.Result r = results.get(i);
                if (!r.valid()) {
                    var first = r.problems().get(0);
                    refused.add("line " + lines.get(i) + ": " + first.path() + ": " + first.message()
                            + (r.problems().size() > 1 ? " (and " + (r.problems().size() - 1) + " more)" : ""));
                    continue;
                }
                docs.add(r.document());
                raws.add(texts.get(i));
                docLines.add(lines.get(i));
            }
            List<Object> outcomes = runs.insertAll(docs, raws, source);
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) instanceof RunStore.Stored st) {
                    if (st.created()) stored++; else already++;
                } else {
                    refused.add("line " + docLines.get(i) + ": " + ((Exception) outcomes.get(i)).getMessage());
                }
            }
            progress.accept(lineNo);
        }
        return new Bulk(stored, already, List.copyOf(refused));
    }

    /** Reads a document file, refusing one over the size limit before reading it. */
    public Outcome storeFile(Path file, RunStore.Source source) throws IOException {
        if (Files.size(file) > Limits.MAX_DOCUMENT_BYTES) {
            throw new LabException.Invalid("larger than " + Limits.MAX_DOCUMENT_TEXT + ", the document limit");
        }
        return store(decode(Files.readAllBytes(file)), source);
    }

    /** Loads every {@code *.json} in {@code dir} (sorted by name) into an empty store; returns how many were stored. */
    public int loadSampleData(Path dir) throws IOException {
        if (runs.count() > 0 || !Files.isDirectory(dir)) return 0;
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        }
        int stored = 0;
        for (Path file : files) {
            if (storeFile(file, RunStore.Source.UPLOAD).stored().created()) stored++;
        }
        return stored;
    }
}
