package dev.conlab.bench.model;

import dev.conlab.bench.Params;
import dev.conlab.bench.Workload;
import dev.conlab.bench.WorkloadInstance;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The main class of a {@code processes} child JVM: reads a header (the workload's class and parameters), rebuilds the
 * instance, then runs task indices read from stdin and writes serialized replies to stdout until it reads
 * -1, when it replies with its own process CPU time and exits. Stdout carries only the protocol.
 */
public final class ProcessChild {

    /**
     * What the parent sends first. Plain data streams, so that a child does not pay for loading Jackson.
     *
     * @param workload the workload's class name: the child builds it without asking the catalog
     */
    public record Header(String workload, Map<String, Object> params, Map<String, String> shared, int processors) {

        void write(DataOutputStream out) throws IOException {
            out.writeUTF(workload);
            out.writeInt(processors);
            out.writeInt(params.size());
            for (var e : params.entrySet()) {
                out.writeUTF(e.getKey());
                if (e.getValue() instanceof Number n) {
                    out.writeBoolean(true);
                    out.writeLong(n.longValue());
                } else {
                    out.writeBoolean(false);
                    out.writeUTF(String.valueOf(e.getValue()));
                }
            }
            out.writeInt(shared.size());
            for (var e : shared.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
        }

        static Header read(DataInputStream in) throws IOException {
            String workload = in.readUTF();
            int processors = in.readInt();
            Map<String, Object> params = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                String key = in.readUTF();
                params.put(key, in.readBoolean() ? (Object) in.readLong() : in.readUTF());
            }
            Map<String, String> shared = new LinkedHashMap<>();
            for (int i = in.readInt(); i > 0; i--) shared.put(in.readUTF(), in.readUTF());
            return new Header(workload, params, shared, processors);
        }
    }

    public record Reply(int index, Object value, String error) implements Serializable {
    }

    public static void main(String[] args) throws Exception {
        var protocolOut = new ObjectOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        protocolOut.flush(); // the stream header: the parent's ObjectInputStream waits for it
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        var in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        Header header = Header.read(in);
        // a built-in workload's class, or a task of yours (dev.conlab.api.Task), found on the same class path as the parent's
        Class<?> type = Class.forName(header.workload());
        Workload workload = dev.conlab.api.Task.class.isAssignableFrom(type)
                ? new dev.conlab.bench.TaskWorkload(type.asSubclass(dev.conlab.api.Task.class), "class path")
                : (Workload) type.getDeclaredConstructor().newInstance();
        try (WorkloadInstance instance = workload.prepare(Params.fromJson(header.params()),
                new Workload.Env(header.processors(), true, header.shared()))) {
            while (true) {
                int i;
                try {
                    i = in.readInt();
                } catch (EOFException parentGone) {
                    return;
                }
                if (i < 0) break;
                Reply reply;
                try {
                    reply = new Reply(i, instance.exportResult(i, instance.runTask(i)), null);
                } catch (Exception e) {
                    reply = new Reply(i, null, e.toString());
                }
                protocolOut.writeObject(reply);
                protocolOut.reset();
                protocolOut.flush();
            }
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        protocolOut.writeObject(new Reply(-1, os.getProcessCpuTime(), null));
        protocolOut.flush();
    }
}
