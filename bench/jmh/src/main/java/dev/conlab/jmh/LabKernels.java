package dev.conlab.jmh;

import dev.conlab.bench.Catalog;
import dev.conlab.bench.Model;
import dev.conlab.bench.Params;
import dev.conlab.bench.Suite;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab's kernels under JMH: the same workload classes with the default suite's parameters, run by the same model
 * classes, one invocation per iteration (SingleShotTime, as the lab times one execution of all tasks), each result
 * validated outside the measurement. Defaults mirror the lab's default suite: 3 forks × (2 warm-ups + 3 iterations).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(3)
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class LabKernels {

    @Param({"cpu-sum", "dot-product", "vector-add", "sleep-io"})
    public String workload;

    @Param({"sequential", "fixed-pool", "fork-join", "parallel-stream"})
    public String model;

    private WorkloadInstance instance;
    private Model runner;
    private Params modelParams;
    private Model.Context context;
    private List<Object> results;

    @Setup(Level.Trial)
    public void prepare() throws Exception {
        int processors = Runtime.getRuntime().availableProcessors();
        Workload w = Catalog.workload(workload);
        Params params = new Params(dev.conlab.bench.Param.defaults(w.id(), w.params(), Suite.DEFAULT));
        runner = Catalog.model(model);
        modelParams = new Params(dev.conlab.bench.Param.defaults(runner.id(), runner.params(), Suite.DEFAULT));
        instance = w.prepare(params, Workload.Env.parent(processors));
        context = new Model.Context(processors, w, params);
    }

    @Setup(Level.Iteration)
    public void reset() {
        instance.reset();
    }

    @Benchmark
    public List<Object> execute() throws Exception {
        results = runner.execute(instance, modelParams, context).results();
        return results;
    }

    @TearDown(Level.Iteration)
    public void validate() throws Exception {
        instance.validate(results);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        instance.close();
    }
}
