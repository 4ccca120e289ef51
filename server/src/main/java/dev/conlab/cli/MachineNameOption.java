package dev.conlab.cli;

import dev.conlab.bench.harness.Probe;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --machine-name NAME}, shared by serve, run and agent: gives this machine an identity of its own where its
 * hardware facts equal another's (cloned VMs, containers, several agents on one host). Without it the fingerprint of
 * the hardware decides, as always.
 */
final class MachineNameOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--machine-name", paramLabel = "NAME",
            description = {"This machine's name: its label, and part of its identity, so that two machines with equal hardware "
                    + "facts (clones, containers, agents on one host) stay apart. Default: the hardware decides. Env: CONLAB_MACHINE_NAME."})
    void name(String name) {
        try {
            System.setProperty(Probe.MACHINE_NAME_PROPERTY, Probe.checkMachineName(name));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
