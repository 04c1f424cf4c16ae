package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.ops.StatusReport;
import io.matrixinstall.ops.checks.CheckResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "doctor", description = "Check the server as the outside sees it, as a federation tester would: DNS,"
        + " certificates served on the HTTPS and federation ports, both well-known documents, the signed server key,"
        + " the client API through the proxy, free disk, clock sync. Each check is declared in healthchecks/;"
        + " each failure says how to fix it. Exit 1 when a check fails.")
final class DoctorCommand implements Callable<Integer> {

    @Mixin
    ReadOptions readOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return readOptions.run(spec, this::doctor);
    }

    private int doctor(RunFrame frame) {
        Console console = frame.console();
        InstallConfig config = readOptions.load(frame.host());
        StatusReport report = StatusReport.collect(frame.host(), config, readOptions.stateDir(), List.of(), "doctor");
        for (CheckResult check : report.checks()) {
            console.line(String.format("%-4s %-18s %s", check.status(), check.id(), check.message()));
            if (check.fix() != null && check.status() != CheckResult.Status.OK) {
                console.line("     fix: " + check.fix());
            }
        }
        long failed = report.checks().stream().filter(c -> c.status() == CheckResult.Status.FAIL).count();
        console.line(failed == 0 ? "doctor: no failures" : "doctor: " + failed + " check(s) failed");
        return failed == 0 ? 0 : MatrixInstall.FAILED;
    }
}
