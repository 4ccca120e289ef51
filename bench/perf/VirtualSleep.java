import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * JEP 444's case with no lab code around it: N virtual threads that each sleep 1 s, five times in one JVM. The bare JDK's
 * figure for docs/PERFORMANCE.md ("Scaling curves"), beside the lab's. Usage: java bench/perf/VirtualSleep.java 100000
 */
public class VirtualSleep {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var futures = new ArrayList<Future<Integer>>(n);
                for (int i = 0; i < n; i++) {
                    final int task = i;
                    futures.add(executor.submit(() -> {
                        Thread.sleep(1000);
                        return task;
                    }));
                }
                for (var f : futures) f.get();
            }
            System.out.printf("%d tasks: %.3f s%n", n, (System.nanoTime() - start) / 1e9);
        }
    }
}
