package dev.conlab.bench.workload;

import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Scaling;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.Arrays;
import java.util.List;

/** Element-wise c = a + b over two {@code double[n]}, split in chunks: the numpy case that meets the memory wall. */
public final class VectorAddWorkload implements Workload {

    @Override
    public String id() {
        return "vector-add";
    }

    @Override
    public String summary() {
        return "Element-wise c = a + b of two double[n], one task per chunk (memory-bandwidth bound).";
    }

    @Override
    public int displayOrder() {
        return 40;
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

    private static final class Instance implements WorkloadInstance {
        private final Vectors v;
        private final double[] c;

        Instance(Vectors v) {
            this.v = v;
            this.c = new double[v.length()];
        }

        @Override
        public int taskCount() {
            return v.chunks();
        }

        @Override
        public Object runTask(int i) {
            double[] a = v.a();
            double[] b = v.b();
            int from = v.from(i);
            int to = v.to(i);
            for (int pass = 0; pass < v.passes(); pass++) {
                for (int j = from; j < to; j++) c[j] = a[j] + b[j];
            }
            return i;
        }

        @Override
        public Object exportResult(int i, Object taskResult) {
            return Arrays.copyOfRange(c, v.from(i), v.to(i));
        }

        @Override
        public Object importResult(int i, Object exported) {
            double[] chunk = (double[]) exported;
            System.arraycopy(chunk, 0, c, v.from(i), chunk.length);
            return i;
        }

        @Override
        public void reset() {
            Arrays.fill(c, Double.NaN);
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            Checks.indices(results, v.chunks());
            double[] a = v.a();
            double[] b = v.b();
            for (int j = 0; j < c.length; j++) {
                if (c[j] != a[j] + b[j]) {
                    throw new WrongResultException("c[" + j + "] = " + c[j] + ", expected " + (a[j] + b[j]));
                }
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
