package dev.conlab.server.queue;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.CellSpec;
import dev.conlab.bench.CellStatus;
import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.Sample;
import dev.conlab.bench.TestDocuments;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Jdk;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The queue's test double of a measurement: no process. It says hello, finishes the plan's first cell at once, then
 * waits for the test to {@link #finish()} it (every cell ok), {@link #fail} it (the worker could not run) — or for
 * {@link #cancel()}, after which it throws as {@link ForkRunner} does.
 */
final class FakeMeasurer implements Measurer {

    static final long PID = 4242;
    private static final RunDocument TEMPLATE = TestDocuments.small();

    /** Every measurer the runner made, in order. */
    static final class Factory implements Supplier<Measurer> {
        final BlockingQueue<FakeMeasurer> made = new LinkedBlockingQueue<>();

        @Override
        public Measurer get() {
            FakeMeasurer m = new FakeMeasurer();
            made.add(m);
            return m;
        }

        /** The next measurer the runner starts, once its first cell is stored. */
        FakeMeasurer next() throws InterruptedException {
            FakeMeasurer m = made.poll(5, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("the runner started no measurement");
            if (!m.firstCellStored.await(5, TimeUnit.SECONDS)) throw new AssertionError("the measurement did not get going");
            return m;
        }
    }

    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    final CountDownLatch firstCellStored = new CountDownLatch(1);
    volatile boolean cancelled;

    /** Let it end with every cell ok. */
    void finish() {
        outcome.complete(null);
    }

    /** Let it end as a worker that could not run. */
    void fail(String why) {
        outcome.complete(why);
    }

    @Override
    public RunDocument measure(String documentId, dev.conlab.bench.fork.Target target, RunSpec spec, ForkRunner.Listener listener)
            throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException {
        listener.started(target, TEMPLATE.machine(), TEMPLATE.jvm(), null);
        List<CellResult> cells = new ArrayList<>();
        for (CellSpec cell : spec.cells()) cells.add(ok(cell));
        listener.cellStarted(0, spec.cells().get(0).workload(), spec.cells().get(0).model());
        listener.iteration(0, dev.conlab.bench.harness.Phase.MEASURE, 1, 1);
        listener.cellFinished(0, cells.get(0));
        if (spec.cells().size() > 1) listener.cellStarted(1, spec.cells().get(1).workload(), spec.cells().get(1).model());
        firstCellStored.countDown(); // the test looks now: the first cell stored, the second one measuring
        String failure;
        try {
            failure = outcome.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
        if (cancelled) throw new ForkRunner.CancelledException();
        if (failure != null) throw new ForkRunner.WorkerFailedException(failure);
        for (int i = 1; i < cells.size(); i++) listener.cellFinished(i, cells.get(i));
        return new RunDocument(RunDocument.SCHEMA, documentId, Instant.now().toString(), Instant.now().toString(), spec.suite(),
                TEMPLATE.machine(), TEMPLATE.jvm(), spec.settings(), cells);
    }

    private static CellResult ok(CellSpec cell) {
        var sample = new Sample(1_000_000L, 900_000L, 1024L, 0L, 0L, 2L, 1L, 0L);
        return new CellResult(cell.workload(), cell.model(), cell.params(), cell.modelParams(), CellStatus.OK, 1, 1_000_000L,
                "fixed", null, List.of(), List.of(sample), Map.of("wallNanos", "fake"), null);
    }

    @Override
    public void cancel() {
        cancelled = true;
        outcome.complete(null);
    }

    @Override
    public Long currentPid() {
        return outcome.isDone() ? null : PID;
    }
}
