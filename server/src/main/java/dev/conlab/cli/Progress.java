package dev.conlab.cli;

import dev.conlab.bench.CellResult;
import dev.conlab.bench.JvmInfo;
import dev.conlab.bench.MachineInfo;
import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.fork.ForkRunner;
import dev.conlab.bench.fork.Target;
import dev.conlab.bench.harness.Phase;
import dev.conlab.server.core.Fmt;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Shows a sitting's progress: a progress bar (cell i of n, the current cell, fork and iteration, elapsed, estimate) in a
 * terminal, one line per finished cell elsewhere (CI logs); a disturbed fork says so either way. One progress serves every
 * target of an interleaved sitting: {@link #of(Target)} is the listener of one of them. An interleaved sitting's cells end
 * together in its last rounds, so its progress shows how far its forks have come and no estimate (one from cells done would read hours).
 */
abstract class Progress implements AutoCloseable {

    protected final int total;
    protected final boolean estimates;
    protected int done;

    Progress(int total, boolean estimates) {
        this.total = total;
        this.estimates = estimates;
    }

    /**
     * @param label     what the bar is named after (a target's label, or the sitting's)
     * @param estimates whether cells done foretell the time left: not in an interleaved sitting
     */
    static Progress create(String label, int total, boolean bar, PrintWriter out, boolean estimates) {
        return bar ? new Bar(label, total, out, estimates) : new Lines(label, total, out, estimates);
    }

    /** The listener of one target's run. */
    ForkRunner.Listener of(Target target) {
        return new ForkRunner.Listener() {
            /** The cell the fork under way measures first: a disturbed fork is named by it. */
            private volatile String forkCell;

            @Override
            public void started(Target t, MachineInfo machine, JvmInfo jvm, PythonInfo python) {
                Progress.this.started(machine, jvm, python);
            }

            @Override
            public void forkStarted(int number, int forks) {
                forkCell = null;
                Progress.this.forkStarted(target, number, forks);
            }

            @Override
            public void forkDone(int number, String disturbed) {
                if (disturbed != null) Progress.this.disturbed(target, (forkCell == null ? "" : forkCell + ": ") + disturbed);
            }

            @Override
            public void cellStarted(int index, String workload, String model) {
                if (forkCell == null) forkCell = workload + " × " + model + (index < 0 ? " (T₁)" : "");
                Progress.this.cellStarted(target, index, workload, model);
            }

            @Override
            public void iteration(int index, Phase phase, int iteration, int of) {
                Progress.this.iteration(phase, iteration, of);
            }

            @Override
            public void cellFinished(int index, CellResult result) {
                Progress.this.cellFinished(target, result);
            }
        };
    }

    void started(MachineInfo machine, JvmInfo jvm, PythonInfo python) {
    }

    void forkStarted(Target target, int number, int forks) {
    }

    abstract void disturbed(Target target, String why);

    void cellStarted(Target target, int index, String workload, String model) {
    }

    void iteration(Phase phase, int iteration, int of) {
    }

    abstract void cellFinished(Target target, CellResult result);

    @Override
    public void close() {
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;
        private final PrintWriter out;
        private String cell = "";
        private String fork = "";

        Bar(String label, int total, PrintWriter out, boolean estimates) {
            super(total, estimates);
            this.out = out;
            var builder = new ProgressBarBuilder().setTaskName(label).setInitialMax(total)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(150).continuousUpdate();
            bar = (estimates ? builder : builder.hideEta()).build();
        }

        @Override
        void forkStarted(Target target, int number, int forks) {
            fork = " fork " + (number + 1) + (estimates && number < forks ? "/" + forks : "");
        }

        @Override
        void disturbed(Target target, String why) {
            out.println();
            out.println("  ⚠ " + target.label() + ": " + why + " — left out of the statistics");
            out.flush();
        }

        @Override
        void cellStarted(Target target, int index, String workload, String model) {
            cell = target.label() + " " + workload + " × " + model + (index < 0 ? " (T₁)" : "") + fork;
            bar.setExtraMessage(cell);
        }

        @Override
        void iteration(Phase phase, int iteration, int of) {
            bar.setExtraMessage(cell + " " + phase.id() + " " + iteration + "/" + of);
        }

        @Override
        void cellFinished(Target target, CellResult result) {
            bar.stepTo(++done);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private static final class Lines extends Progress {
        private final String label;
        private final PrintWriter out;
        private final long start = System.nanoTime();
        private int furthest = -1;

        Lines(String label, int total, PrintWriter out, boolean estimates) {
            super(total, estimates);
            this.label = label;
            this.out = out;
        }

        @Override
        void forkStarted(Target target, int number, int forks) {
            if (estimates || number <= furthest) return;
            furthest = number;
            out.printf("[%s %s] forks #%d begin; %d of %d cells done (each once it has its forks)%n",
                    label, Fmt.clock(System.nanoTime() - start), number + 1, done, total);
            out.flush();
        }

        @Override
        void started(MachineInfo machine, JvmInfo jvm, PythonInfo python) {
            if (jvm != null) {
                out.printf("JDK %d: %s %s on %s%n", jvm.feature(), jvm.vendor(), jvm.version(), machine.cpu().model());
            } else if (python != null) {
                out.printf("%s (%s, GIL %s) on %s%n", python.label(), python.executable(), python.gil() ? "on" : "off", machine.cpu().model());
            }
            out.flush();
        }

        @Override
        void disturbed(Target target, String why) {
            out.printf("  ⚠ %s: %s — left out of the statistics%n", target.label(), why);
            out.flush();
        }

        @Override
        void cellFinished(Target target, CellResult result) {
            done++;
            long elapsed = System.nanoTime() - start;
            long eta = done == 0 ? 0 : elapsed / done * (total - done);
            String forks = result.forks() == null ? "" : ", " + result.forks().size() + " fork" + (result.forks().size() == 1 ? "" : "s");
            out.printf("[%s %3d/%d %s%s] %s × %s: %s%s%n", target.label(), done, total,
                    Fmt.clock(elapsed), estimates ? ", ~" + Fmt.clock(eta) + " left" : "", result.workload(), result.model(), result.status(), forks);
            out.flush();
        }
    }
}
