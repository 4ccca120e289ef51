package dev.conlab.bench.workload;

import dev.conlab.bench.Param;
import dev.conlab.bench.Params;

import java.util.List;
import java.util.SplittableRandom;

/** The two input vectors of vector-add and dot-product, and how they are cut in chunks. */
record Vectors(double[] a, double[] b, int chunks, int passes) {

    static List<Param> params() {
        return List.of(
                Param.integer("length", "Vector length n", 1_000_000, 20_000_000, 20_000_000, 1, 200_000_000),
                Param.integer("chunks", "Number of tasks the vectors are cut in", 8, 8, 8, 1, 100_000).as(Param.Role.CONCURRENCY),
                Param.integer("passes", "How many times each task goes over its chunk", 1, 16, 1, 1, 10_000));
    }

    Vectors(Params params) {
        this(random(params.intValue("length"), 1), random(params.intValue("length"), 2),
                params.intValue("chunks"), params.intValue("passes"));
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble();
        return v;
    }

    int length() {
        return a.length;
    }

    int from(int chunk) {
        return (int) ((long) a.length * chunk / chunks);
    }

    int to(int chunk) {
        return (int) ((long) a.length * (chunk + 1) / chunks);
    }
}
