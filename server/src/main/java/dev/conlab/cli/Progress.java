package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.RunSpec;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.fork.Target;
import dev.conlab.server.core.Fmt;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Shows a run's progress: a progress bar (cell i of n, the current cell and iteration, elapsed, estimate)
 * in a terminal, one line per finished cell elsewhere (CI logs).
 */
abstract class Progress implements ForkRunner.Listener, AutoCloseable {

    protected final int total;
    protected int done;

    Progress(int total) {
        this.total = total;
    }

    static Progress create(Target target, RunSpec spec, boolean bar, PrintWriter out) {
        int total = spec.cells().size();
        return bar ? new Bar(target, total) : new Lines(target, total, out);
    }

    @Override
    public void close() {
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;
        private String cell = "";
        private String fork = "";

        Bar(Target target, int total) {
            super(total);
            bar = new ProgressBarBuilder().setTaskName(target.label()).setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(150).continuousUpdate()
                    .build();
        }

        @Override
        public void forkStarted(int number, int forks) {
            fork = forks > 1 ? " fork " + (number + 1) + "/" + forks : "";
        }

        @Override
        public void cellStarted(int index, String workload, String model) {
            cell = workload + " × " + model + (index < 0 ? " (T₁)" : "") + fork;
            bar.setExtraMessage(cell);
        }

        @Override
        public void iteration(int index, String phase, int iteration, int of) {
            bar.setExtraMessage(cell + " " + phase + " " + iteration + "/" + of);
        }

        @Override
        public void cellFinished(int index, CellResult result) {
            bar.stepTo(++done);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final PrintWriter out;
        private final Target target;
        private final long start = System.nanoTime();

        Lines(Target target, int total, PrintWriter out) {
            super(total);
            this.target = target;
            this.out = out;
        }

        @Override
        public void started(Target target, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
            if (jvm != null) {
                out.printf("JDK %d: %s %s on %s%n", jvm.feature(), jvm.vendor(), jvm.version(), machine.cpu().model());
            } else if (python != null) {
                out.printf("%s (%s, GIL %s) on %s%n", python.label(), python.executable(), python.gil() ? "on" : "off", machine.cpu().model());
            }
            out.flush();
        }

        @Override
        public void cellFinished(int index, CellResult result) {
            done++;
            long elapsed = System.nanoTime() - start;
            long eta = done == 0 ? 0 : elapsed / done * (total - done);
            out.printf("[%s %3d/%d %s, ~%s left] %s × %s: %s%n", target.label(), done, total,
                    Fmt.clock(elapsed), Fmt.clock(eta), result.workload(), result.model(), result.status());
            out.flush();
        }
    }
}
