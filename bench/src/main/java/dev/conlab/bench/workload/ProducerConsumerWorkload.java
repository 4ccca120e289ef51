package dev.conlab.bench.workload;

import dev.conlab.bench.EventLoop;
import dev.conlab.bench.IdealContext;
import dev.conlab.bench.Model;
import dev.conlab.bench.Param;
import dev.conlab.bench.Params;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;
import dev.conlab.bench.WrongResultException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * p producers hand I items to c consumers through one bounded queue ({@code queue.Queue}). Tasks 0..p-1
 * produce, tasks p..p+c-1 consume; the last producer to finish sends one end marker per consumer. Every
 * item must arrive exactly once (count, sum and sum of squares are checked).
 */
public final class ProducerConsumerWorkload implements Workload {

    private static final Long END = Long.MIN_VALUE;
    /** The ideal per parameter set, measured once per JVM so that every model is held to the same limit. */
    private static final Map<String, Long> IDEAL = new ConcurrentHashMap<>();

    @Override
    public String id() {
        return "producer-consumer";
    }

    @Override
    public String summary() {
        return "p producers hand I items to c consumers through one bounded queue (hand-off cost).";
    }

    @Override
    public int displayOrder() {
        return 80;
    }

    @Override
    public boolean cpuBound() {
        return true;
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.integer("items", "Items handed over, I", 100_000, 1_000_000, 1_000_000, 1, 1_000_000_000).as(Param.Role.WORK),
                Param.integer("producers", "Producer tasks p", 1, 1, 1, 1, 1_000).as(Param.Role.CONCURRENCY),
                Param.integer("consumers", "Consumer tasks c", 1, 1, 1, 1, 1_000).as(Param.Role.CONCURRENCY),
                Param.integer("capacity", "Queue capacity", 1024, 1024, 1024, 1, 10_000_000));
    }

    @Override
    public String incompatibility(Model model, Params params, int concurrency) {
        if (model.separateMemory()) {
            return "producers and consumers share one in-memory queue; tasks in separate JVMs cannot";
        }
        long needed = params.longValue("producers") + params.longValue("consumers");
        if (concurrency < needed && !model.addsThreadsWhenTasksBlock()) {
            return "needs its " + needed + " producer and consumer tasks running at once (a bounded queue "
                    + "would deadlock); " + model.id() + " runs " + concurrency + " at a time";
        }
        return null;
    }

    @Override
    public WorkloadInstance prepare(Params params, Env env) {
        return new Instance(params.longValue("items"), params.intValue("producers"), params.intValue("consumers"),
                params.intValue("capacity"));
    }

    private static final class Instance implements WorkloadInstance {
        private final long items;
        private final int producers;
        private final int consumers;
        private final int capacity;
        private ArrayBlockingQueue<Long> queue;
        private final AtomicInteger producersLeft = new AtomicInteger();

        Instance(long items, int producers, int consumers, int capacity) {
            this.items = items;
            this.producers = producers;
            this.consumers = consumers;
            this.capacity = capacity;
            reset();
        }

        @Override
        public void reset() {
            queue = new ArrayBlockingQueue<>(capacity);
            producersLeft.set(producers);
        }

        @Override
        public int taskCount() {
            return producers + consumers;
        }

        @Override
        public Object runTask(int i) throws InterruptedException {
            if (i < producers) {
                for (long v = i; v < items; v += producers) queue.put(v);
                if (producersLeft.decrementAndGet() == 0) {
                    for (int c = 0; c < consumers; c++) queue.put(END);
                }
                return new long[] {0, 0, 0};
            }
            long count = 0, sum = 0, squares = 0;
            while (true) {
                Long v = queue.take();
                if (v.equals(END)) return new long[] {count, sum, squares};
                count++;
                sum += v;
                squares += v * v;
            }
        }

        @Override
        public boolean nonBlockingAsync() {
            return true;
        }

        /** Cooperative form: each task moves what it can without blocking, then yields to the loop. */
        @Override
        public CompletableFuture<Object> runTaskAsync(int i, EventLoop loop) {
            var done = new CompletableFuture<Object>();
            if (i < producers) {
                loop.execute(new Runnable() {
                    long next = i;

                    @Override
                    public void run() {
                        while (next < items && queue.offer(next)) next += producers;
                        if (next < items) {
                            loop.execute(this);
                        } else if (producersLeft.decrementAndGet() == 0) {
                            sendEnds(loop, consumers, done);
                        } else {
                            done.complete(new long[] {0, 0, 0});
                        }
                    }
                });
            } else {
                loop.execute(new Runnable() {
                    final long[] acc = new long[3];

                    @Override
                    public void run() {
                        Long v;
                        while ((v = queue.poll()) != null) {
                            if (v.equals(END)) {
                                done.complete(acc);
                                return;
                            }
                            acc[0]++;
                            acc[1] += v;
                            acc[2] += v * v;
                        }
                        loop.execute(this);
                    }
                });
            }
            return done;
        }

        private void sendEnds(EventLoop loop, int left, CompletableFuture<Object> done) {
            int remaining = left;
            while (remaining > 0 && queue.offer(END)) remaining--;
            if (remaining == 0) {
                done.complete(new long[] {0, 0, 0});
            } else {
                int r = remaining;
                loop.execute(() -> sendEnds(loop, r, done));
            }
        }

        @Override
        public void validate(List<Object> results) throws WrongResultException {
            long count = 0, sum = 0, squares = 0;
            for (Object r : results) {
                long[] acc = (long[]) r;
                count += acc[0];
                sum += acc[1];
                squares += acc[2];
            }
            long expectedSquares = 0;
            for (long v = 0; v < items; v++) expectedSquares += v * v;
            WrongResultException.check(count == items, count + " items arrived, expected " + items);
            WrongResultException.check(sum == items * (items - 1) / 2 && squares == expectedSquares,
                    "items were lost or duplicated (sums differ)");
        }

        /**
         * The rate of the slower side: one thread offers a queue-full of items, then polls them, timing the two
         * sides apart; producing and consuming can overlap on separate cores, so the bound is the larger of
         * the two, each divided by the cores its tasks can use. Median of five after a warm-up, once per JVM.
         */
        @Override
        public long idealNanos(IdealContext context) {
            String key = items + "/" + producers + "/" + consumers + "/" + capacity + "/" + context.processors();
            return IDEAL.computeIfAbsent(key, k -> measureIdeal(context.processors()));
        }

        private long measureIdeal(int processors) {
            long[] bounds = new long[5];
            long sink = 0;
            for (int round = -1; round < bounds.length; round++) {
                reset();
                long produce = 0, consume = 0;
                for (long v = 0; v < items; ) {
                    long t0 = System.nanoTime();
                    while (v < items && queue.offer(v)) v++;
                    long t1 = System.nanoTime();
                    Long x;
                    while ((x = queue.poll()) != null) sink += x;
                    long t2 = System.nanoTime();
                    produce += t1 - t0;
                    consume += t2 - t1;
                }
                long bound = Math.max(produce / Math.min(producers, processors), consume / Math.min(consumers, processors));
                if (round >= 0) bounds[round] = bound;
            }
            reset();
            if (sink != items * (items - 1) / 2 * (bounds.length + 1)) throw new IllegalStateException("calibration lost items");
            return (long) dev.conlab.bench.stats.Stats.summarize(bounds).median();
        }

        @Override
        public String idealFormula() {
            return "max(offering alone ÷ min(producers, P), polling alone ÷ min(consumers, P)): the slower side's rate";
        }
    }
}
