package dev.conlab.cli;

import dev.conlab.bench.Json;
import dev.conlab.bench.MachineCheck;
import dev.conlab.bench.harness.Probe;
import dev.conlab.bench.machine.Disturbance;
import dev.conlab.bench.machine.Doctor;
import dev.conlab.db.Database;
import dev.conlab.db.MachineStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Is this machine fit to measure? Reads the CPU frequency governor, turbo, SMT siblings, isolated CPUs, the load "
                + "now and container limits, and probes the machine's capacity (a fixed kernel on one thread, then on every CPU) again "
                + "and again for some seconds: min, median and max of the CPUs it gives. Each finding comes with what to do about it.",
                "The same probe runs before and after every fork of a run; " + Disturbance.RULE_FOR_HELP + ".",
                "Examples:",
                "  conlab doctor",
                "  conlab doctor --seconds 30 --save          (the machine's page on this lab shows its last check)",
                "  conlab doctor --upload http://lab:7070 --token $CONLAB_TOKEN"})
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    MachineNameOption machineName;

    @Option(names = "--seconds", paramLabel = "S", description = "How long to probe the capacity (0 to 600; 0: not at all). Default: ${DEFAULT-VALUE}.")
    double seconds = 10;

    @Option(names = "--json", description = "Print the check as JSON instead of a table.")
    boolean json;

    @Option(names = "--save", description = "Keep the check in this lab's database (--db, --data-dir): the machine's page shows its last check.")
    boolean save;

    @Mixin
    DatabaseOptions database;

    @Option(names = "--upload", paramLabel = "URL", description = "Send the check to this lab server (needs --token with the upload scope).")
    String upload;

    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:CONLAB_TOKEN}", description = "Token for --upload. Env: CONLAB_TOKEN.")
    String token;

    @Override
    public Integer call() throws Exception {
        if (!(seconds >= 0 && seconds <= 600)) throw new dev.conlab.bench.InvalidSpecException("--seconds must be 0 to 600, not " + seconds);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Uploader uploader = upload == null ? null : new Uploader(upload, token);
        if (!json && seconds > 0) {
            out.printf("Probing the capacity for %.0f s (a fixed kernel on one thread, then on every CPU, about every 100 ms) …%n", seconds);
            out.flush();
        }
        MachineCheck check = Doctor.onThisMachine().check(seconds, pct -> { });
        String text = Json.PRETTY.writeValueAsString(check);
        if (json) {
            out.println(text);
        } else {
            print(check, out);
        }
        int failures = 0;
        if (save) {
            try (Database db = database.open()) {
                long id = new MachineStore(db).saveCheck(Probe.machine(), OffsetDateTime.parse(check.at()), check.verdict().id(), text);
                if (!json) out.println("Saved: the page of machine " + id + " (/machines/" + id + ") shows it.");
            }
        }
        if (uploader != null) {
            var body = new java.util.LinkedHashMap<String, Object>();
            body.put("machine", Probe.machine());
            body.put("check", check);
            if (!uploader.check(Json.MAPPER.writeValueAsString(body), out, err)) failures++;
        }
        out.flush();
        return failures == 0 ? 0 : 1;
    }

    static void print(MachineCheck check, PrintWriter out) {
        out.printf("%nMachine %s (%s), %d CPUs — %s%n", check.machine(), check.fingerprint(), check.cpus(),
                check.verdict() == MachineCheck.Level.OK ? "fit to measure" : "usable, with the cautions below");
        for (MachineCheck.Item item : check.items()) {
            out.printf("  %-7s %-24s %s%n", "[" + item.level().id().toUpperCase(Locale.ROOT) + "]", item.name(), item.value());
            if (item.advice() != null) out.printf("  %-7s %-24s → %s%n", "", "", item.advice());
        }
    }
}
