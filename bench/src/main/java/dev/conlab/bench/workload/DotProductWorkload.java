package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;

/** Dot product of two {@code double[n]}: partial sums per chunk, added in chunk order. */
public final class DotProductWorkload implements Workload {

    @Override
    public String id() {
        return "dot-product";
    }

    @Override
    public String summary() {
        return "Dot product of two double[n], one partial sum per chunk (memory-bandwidth bound).";
    }

    @Override
    public int displayOrder() {
        return 50;
    }

    @Override
    public Scaling scaling(int processors) {
        return new Scaling(java.util.Map.of(), "chunks", "1.." + 4 * processors + "x2");
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public boolean idealUsesOneThreadTime() {
        return true;
    }

    @Override
    public List<Param> params() {
        return Vectors.params();
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(new Vectors(params));
    }

    static double partial(Vectors v, int chunk) {
        double[] a = v.a();
        double[] b = v.b();
        int to = v.to(chunk);
        double total = 0;
        for (int pass = 0; pass < v.passes(); pass++) {
            double sum = 0;
            for (int j = v.from(chunk); j < to; j++) sum += a[j] * b[j];
            total += sum;
        }
        return total;
    }

    private static final class Instance implements WorkloadInstance {
        private final Vectors v;
        private double[] expected;

        Instance(Vectors v) {
            this.v = v;
        }

        @Override
        public int taskCount() {
            return v.chunks();
        }

        @Override
        public Object runTask(int i) {
            return partial(v, i);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            WrongResultException.check(results.size() == v.chunks(), "expected " + v.chunks() + " partial sums");
            if (expected == null) {
                expected = new double[v.chunks()];
                for (int i = 0; i < expected.length; i++) expected[i] = partial(v, i);
            }
            for (int i = 0; i < expected.length; i++) {
                WrongResultException.check(results.get(i) instanceof Double d && d == expected[i],
                        "chunk " + i + " summed to " + results.get(i) + ", expected " + expected[i]);
            }
        }

        @Override
        public long idealNanos(IdealContext context) {
            return context.oneThreadNanos().getAsLong() / Math.min(v.chunks(), context.processors());
        }

        @Override
        public String idealFormula() {
            return "T₁ ÷ min(chunks, P) (memory bandwidth usually keeps it out of reach)";
        }
    }
}
