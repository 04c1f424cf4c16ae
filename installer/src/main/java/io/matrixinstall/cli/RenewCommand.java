package io.matrixinstall.cli;

import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.engine.DockerEngine;
import io.matrixinstall.host.HostLock;
import io.matrixinstall.plan.ChangeGate;
import io.matrixinstall.plan.Plan;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.RunOptions;
import io.matrixinstall.plan.steps.RenewalScheduleStep;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "renew", description = "Renew the ACME certificate when it expires within 30 days (or --force),"
        + " then reload nginx without dropping connections.")
final class RenewCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    HostLockOptions lockOptions;

    @Mixin
    HostOptions hostOptions;

    @Option(names = "--force", description = "Renew now, whatever the expiry date.")
    boolean force;

    @Option(names = "--skip-dns-check", description = "Request even when the domain does not seem to reach this host.")
    boolean skipDnsCheck;

    @Override
    public Integer call() throws Exception {
        return hostOptions.run(lockOptions.runDir(), this::renew);
    }

    private int renew(io.matrixinstall.host.Host host) {
        Console console = Console.system();
        InstallConfig config = configOptions.load(host);
        if (config.tls().mode() != InstallConfig.TlsMode.ACME) {
            console.line("nothing to renew: tls.mode is " + config.tls().mode());
            return 0;
        }
        RunOptions options = new RunOptions(RunOptions.PullPolicy.NEVER, RunOptions.DockerSource.DOCKER,
                Duration.ofMinutes(5), skipDnsCheck);
        PlanContext context = new PlanContext(config, host, ChangeGate.applying(console::line), options,
                console::progress, DockerEngine::connect);
        RenewLog log = new RenewLog(context.host(), RenewalScheduleStep.renewLog(config));
        try (HostLock lock = lockOptions.acquire(context.host(), "renew", console)) {
            PlanRunner.run(context, Plan.renew(force), console);
            log.append(context.gate().changes().isEmpty() ? "ok: not due" : "ok: renewed");
        } catch (RuntimeException e) {
            log.append("FAILED: " + e.getMessage().lines().findFirst().orElse(e.toString()));
            throw e;
        } finally {
            context.close();
        }
        return 0;
    }
}
