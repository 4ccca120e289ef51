package dev.conlab.bench;

import dev.conlab.bench.model.CachedPoolModel;
import dev.conlab.bench.model.CompletableFutureModel;
import dev.conlab.bench.model.EventLoopModel;
import dev.conlab.bench.model.FixedPoolModel;
import dev.conlab.bench.model.ForkJoinModel;
import dev.conlab.bench.model.ParallelStreamModel;
import dev.conlab.bench.model.ProcessesModel;
import dev.conlab.bench.model.SequentialModel;
import dev.conlab.bench.model.ThreadsModel;
import dev.conlab.bench.model.VirtualThreadsModel;
import dev.conlab.bench.workload.ContendedCounterWorkload;
import dev.conlab.bench.workload.CpuSumWorkload;
import dev.conlab.bench.workload.DotProductWorkload;
import dev.conlab.bench.workload.FactorialGatherWorkload;
import dev.conlab.bench.workload.HttpIoWorkload;
import dev.conlab.bench.workload.ImageResizeWorkload;
import dev.conlab.bench.workload.PinnedIoWorkload;
import dev.conlab.bench.workload.ProducerConsumerWorkload;
import dev.conlab.bench.workload.SleepIoWorkload;
import dev.conlab.bench.workload.SpawnWorkload;
import dev.conlab.bench.workload.VectorAddWorkload;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The registry: every model and every workload, in display order. Adding one is one class plus one line
 * here. Test fixtures (workloads that fail, hang or answer wrongly) join through the system property
 * {@value #EXTRA_WORKLOADS_PROPERTY}: a comma-separated list of class names.
 */
public final class Catalog {

    public static final String EXTRA_WORKLOADS_PROPERTY = "conlab.extraWorkloads";

    public static final List<Model> MODELS = List.of(
            new SequentialModel(),
            new ThreadsModel(),
            new FixedPoolModel(),
            new CachedPoolModel(),
            new ForkJoinModel(),
            new ParallelStreamModel(),
            new CompletableFutureModel(),
            new VirtualThreadsModel(),
            new EventLoopModel(),
            new ProcessesModel());

    public static final List<Workload> WORKLOADS = List.of(
            new SleepIoWorkload(),
            new HttpIoWorkload(),
            new CpuSumWorkload(),
            new VectorAddWorkload(),
            new DotProductWorkload(),
            new ImageResizeWorkload(),
            new FactorialGatherWorkload(),
            new ProducerConsumerWorkload(),
            new PinnedIoWorkload(),
            new SpawnWorkload(),
            new ContendedCounterWorkload());

    private Catalog() {
    }

    /** The registered workloads plus any fixtures named by the system property. */
    public static List<Workload> workloads() {
        String extra = System.getProperty(EXTRA_WORKLOADS_PROPERTY, "").trim();
        if (extra.isEmpty()) return WORKLOADS;
        var all = new ArrayList<>(WORKLOADS);
        for (String name : extra.split(",")) {
            try {
                all.add((Workload) Class.forName(name.trim()).getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot load extra workload " + name + ": " + e, e);
            }
        }
        return List.copyOf(all);
    }

    public static Model model(String id) {
        return MODELS.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidSpecException("unknown model '" + id + "'; valid models: " + modelIds()));
    }

    public static Workload workload(String id) {
        return workloads().stream().filter(w -> w.id().equals(id)).findFirst().orElseThrow(() ->
                new InvalidSpecException("unknown workload '" + id + "'; valid workloads: " + workloadIds()));
    }

    public static String modelIds() {
        return MODELS.stream().map(Model::id).collect(Collectors.joining(", "));
    }

    public static String workloadIds() {
        return workloads().stream().map(Workload::id).collect(Collectors.joining(", "));
    }
}
