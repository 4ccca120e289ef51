package dev.conlab.jmh;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * A small JMH benchmark whose JSON results the lab's import is tested with (server/src/test/resources/jmh/): a
 * sequential and a parallel-stream sum of squares at two sizes, in a throughput mode (ops/s, higher is better) and a
 * time mode (µs/op, lower is better). {@code bench/jmh/import-sample.sh} writes the files.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(2)
@Warmup(iterations = 2, time = 200, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 200, timeUnit = TimeUnit.MILLISECONDS)
public class ImportSample {

    @Param({"1000", "100000"})
    public int size;

    private long[] values;

    @Setup(Level.Trial)
    public void prepare() {
        values = ThreadLocalRandom.current().longs(size, 0, 1000).toArray();
    }

    @Benchmark
    public long sequentialSum() {
        long sum = 0;
        for (long v : values) sum += v * v;
        return sum;
    }

    @Benchmark
    public long parallelSum() {
        return LongStream.of(values).parallel().map(v -> v * v).sum();
    }
}
