package dev.conlab.server.queue;

import dev.conlab.bench.RunDocument;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Target;

import java.io.IOException;

/**
 * How the runner measures one run. The real one is {@link ForkRunner} (forked worker JVMs); the queue's state machine
 * is tested with a double that needs no process. A new measurer is made for every run.
 */
public interface Measurer {

    /**
     * Measures the plan on the JDK or Python interpreter, telling the listener as it goes; blocks until the run is done.
     *
     * @throws ForkRunner.CancelledException    after {@link #cancel()}
     * @throws ForkRunner.WorkerFailedException when the worker could not run at all
     */
    RunDocument measure(String documentId, Target target, RunSpec spec, ForkRunner.Listener listener)
            throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException;

    /** The same, as a member of a sitting (its document says so). */
    default RunDocument measure(String documentId, Target target, RunSpec spec, ForkRunner.Listener listener, dev.conlab.bench.Sitting sitting)
            throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException {
        RunDocument doc = measure(documentId, target, spec, listener);
        return sitting == null ? doc : doc.withSitting(sitting);
    }

    /**
     * Measures an interleaved sitting's targets in rounds ({@link ForkRunner#interleave}); a target whose worker cannot run
     * ends with its failure. This default measures them one after the other (the queue's test double).
     */
    default java.util.List<ForkRunner.Outcome> interleave(dev.conlab.bench.Sitting sitting, java.util.List<ForkRunner.Job> jobs)
            throws ForkRunner.CancelledException, InterruptedException, IOException {
        var outcomes = new java.util.ArrayList<ForkRunner.Outcome>();
        for (ForkRunner.Job job : jobs) {
            try {
                outcomes.add(new ForkRunner.Outcome(job, measure(job.documentId(), job.target(), job.spec(), job.listener(), sitting), null));
            } catch (ForkRunner.WorkerFailedException e) {
                outcomes.add(new ForkRunner.Outcome(job, null, e.getMessage()));
            }
        }
        return outcomes;
    }

    /** Stops the measurement: kills the worker and everything it started, then {@link #measure} throws. */
    void cancel();

    /** The PID of the worker measuring now, or null. */
    Long currentPid();

    /** Measurers on forked worker JVMs with the given classpath and {@code -D} arguments. */
    static java.util.function.Supplier<Measurer> forked(String classpath, java.util.List<String> systemProperties) {
        return () -> {
            ForkRunner runner = new ForkRunner(classpath, systemProperties);
            return new Measurer() {
                @Override
                public RunDocument measure(String documentId, Target target, RunSpec spec, ForkRunner.Listener listener)
                        throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException {
                    return runner.run(documentId, target, spec, listener);
                }

                @Override
                public RunDocument measure(String documentId, Target target, RunSpec spec, ForkRunner.Listener listener,
                                           dev.conlab.bench.Sitting sitting)
                        throws ForkRunner.WorkerFailedException, ForkRunner.CancelledException, InterruptedException, IOException {
                    return runner.run(documentId, target, spec, listener, sitting);
                }

                @Override
                public java.util.List<ForkRunner.Outcome> interleave(dev.conlab.bench.Sitting sitting, java.util.List<ForkRunner.Job> jobs)
                        throws ForkRunner.CancelledException, InterruptedException, IOException {
                    return runner.interleave(sitting, jobs);
                }

                @Override
                public void cancel() {
                    runner.cancel();
                }

                @Override
                public Long currentPid() {
                    return runner.currentPid();
                }
            };
        };
    }

    /** The host's measurers: the bench classes with Jackson, plus the task jars this process installed at start ({@code --task-jar}). */
    static java.util.function.Supplier<Measurer> onThisHost() {
        var tasks = dev.conlab.bench.TaskJars.installed();
        return forked(tasks.classpath(ForkRunner.benchClasspath()), tasks.systemProperties());
    }
}
