package io.matrixinstall.cli;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.component.Schedule;
import io.matrixinstall.up.Plans;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.RunOptions;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "renew", description = "Renew the ACME certificate when it expires within 30 days (or --force),"
        + " then reload nginx without dropping connections.")
final class RenewCommand implements Callable<Integer> {

    @Mixin
    ChangeOptions.Install changeOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--force", description = "Renew now, whatever the expiry date.")
    boolean force;

    @Option(names = "--skip-dns-check", description = "Request even when the domain does not seem to reach this host.")
    boolean skipDnsCheck;

    @Override
    public Integer call() throws Exception {
        return changeOptions.run(spec, this::renew);
    }

    /** Under the host lock; its outcome goes to renew.log (which `status` shows), not to the history. */
    private int renew(RunFrame frame) {
        InstallConfig config = changeOptions.load(frame.host());
        if (!TlsModes.of(config).renewsWithAcme()) {
            frame.console().line("nothing to renew: tls.mode is " + TlsModes.of(config));
            return 0;
        }
        RenewLog log = new RenewLog(frame.host(), Schedule.renewLog(config));
        return frame.change("renew", changeOptions.lock(), changeOptions.stateDir()).withoutHistory()
                .options(new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DOCKER, Duration.ofMinutes(5),
                        skipDnsCheck))
                .onFailure(e -> log.append("FAILED: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString())))
                .run(config, context -> {
                    frame.plan(context, Plans.renew(force));
                    Outcome outcome = Outcome.of(context);
                    log.append(outcome.changes() == 0 ? "ok: not due" : "ok: renewed");
                    return outcome;
                });
    }
}
