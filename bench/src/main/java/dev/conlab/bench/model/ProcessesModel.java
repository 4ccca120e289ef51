package dev.conlab.bench.model;

import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.WorkloadInstance;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * k child JVMs fed task indices over pipes; results come back serialized: Python's {@code multiprocessing}.
 * Starting the children is part of the timed region (as creating a {@code Pool} is in the source articles);
 * each child rebuilds the workload's inputs from its class and the same parameters (like the spawn start method) and
 * reports its own CPU time, which is added to the sample's.
 */
public final class ProcessesModel implements Model {

    @Override
    public String id() {
        return "processes";
    }

    @Override
    public String summary() {
        return "k child JVMs fed task indices over pipes, results serialized back (the multiprocessing analog).";
    }

    @Override
    public String colour() {
        return "#0f766e";
    }

    @Override
    public int displayOrder() {
        return 100;
    }

    @Override
    public List<Param> params() {
        return List.of(Param.integerOrProcessors("workers", "Number of child JVMs k", 256));
    }

    @Override
    public int concurrency(WorkloadInstance instance, Params params, int processors) {
        return Math.min(instance.taskCount(), Tasks.orProcessors(params.longValue("workers"), processors));
    }

    @Override
    public boolean separateMemory() {
        return true;
    }

    @Override
    public Execution execute(WorkloadInstance instance, Params params, Context context) throws Exception {
        int processors = context.processors();
        int n = instance.taskCount();
        int k = concurrency(instance, params, processors);
        Object[] results = new Object[n];
        AtomicInteger next = new AtomicInteger();
        List<Child> children = new ArrayList<>(k);
        try {
            var header = new ProcessChild.Header(
                    context.workload() instanceof dev.conlab.bench.TaskWorkload t ? t.type().getName()
                            : context.workload().getClass().getName(), context.workloadParams().values(), instance.sharedWithChildren(),
                    processors);
            for (int c = 0; c < k; c++) children.add(Child.start(header));
            long[] childCpu = new long[k];
            Exception[] failures = new Exception[k];
            Thread[] feeders = new Thread[k];
            for (int c = 0; c < k; c++) {
                Child child = children.get(c);
                int slot = c;
                feeders[c] = new Thread(() -> {
                    try {
                        childCpu[slot] = child.feed(instance, next, n, results);
                    } catch (Exception e) {
                        failures[slot] = e;
                        next.set(n); // stop handing out work
                    }
                }, "processes-feeder-" + c);
                feeders[c].start();
            }
            for (Thread t : feeders) t.join();
            for (Exception e : failures) {
                if (e != null) throw e;
            }
            for (Child child : children) child.waitFor();
            return new Execution(Arrays.asList(results), Arrays.stream(childCpu).sum());
        } finally {
            for (Child child : children) child.kill();
        }
    }

    /** One child JVM and its two pipes. */
    private static final class Child {
        private final Process process;
        private final DataOutputStream toChild;
        private ObjectInputStream fromChild;

        private Child(Process process) {
            this.process = process;
            this.toChild = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        }

        static Child start(ProcessChild.Header header) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            var command = new ArrayList<String>();
            command.add(java);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProcessChild.class.getName()));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Child child = new Child(process);
            header.write(child.toChild);
            child.toChild.flush();
            return child;
        }

        /** Hands out indices until none are left; returns the child's CPU time. */
        long feed(WorkloadInstance instance, AtomicInteger next, int n, Object[] results) throws Exception {
            fromChild = new ObjectInputStream(new BufferedInputStream(process.getInputStream()));
            int i;
            while ((i = next.getAndIncrement()) < n) {
                toChild.writeInt(i);
                toChild.flush();
                ProcessChild.Reply reply = (ProcessChild.Reply) fromChild.readObject();
                if (reply.error() != null) throw new IllegalStateException("task " + i + " failed in a child JVM: " + reply.error());
                results[i] = instance.importResult(i, reply.value());
            }
            toChild.writeInt(-1);
            toChild.flush();
            ProcessChild.Reply last = (ProcessChild.Reply) fromChild.readObject();
            return (Long) last.value();
        }

        void waitFor() throws InterruptedException {
            process.waitFor();
        }

        void kill() {
            if (process.isAlive()) process.destroyForcibly();
        }
    }
}
