package io.matrixinstall.steps;

import io.matrixinstall.host.HostHttp;
import io.matrixinstall.engine.ServiceContainer;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Poll;
import io.matrixinstall.plan.Step;
import io.matrixinstall.plan.StepFailedException;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The readiness gate: waits until Synapse answers 200 on /health at the host's 127.0.0.1, polling every 250 ms
 * within {@code --timeout}, with a progress line. On timeout it shows the last 50 log lines of the first
 * container that is not healthy, since that is where the reason is.
 */
public final class WaitHealthyStep implements Step {
    static final Duration POLL = Duration.ofMillis(250);
    static final Duration REPORT_EVERY = Duration.ofSeconds(3);

    @Override
    public String name() {
        return "wait for synapse";
    }

    @Override
    public void run(PlanContext context) {
        if (!context.gate().applies()) {
            return;
        }
        // Synapse publishes on the host's loopback only: reached through the host (an SSH forward when remote).
        InetSocketAddress reached = context.host().reach("127.0.0.1", context.config().ports().synapse());
        String address = reached.getHostString().contains(":") ? "[" + reached.getHostString() + "]" : reached.getHostString();
        URI health = URI.create("http://" + address + ":" + reached.getPort() + "/health");
        long[] nextReport = {REPORT_EVERY.toNanos()};
        Duration took = Poll.until(Poll.deadline(context), POLL, "Synapse", elapsed -> {
            if (answers(health)) {
                return true;
            }
            if (elapsed.toNanos() > nextReport[0]) {
                nextReport[0] = elapsed.toNanos() + REPORT_EVERY.toNanos();
                context.progress(String.format("waiting for synapse /health: %d s (%s)", elapsed.toSeconds(), states(context)));
            }
            return false;
        }, () -> timedOut(context));
        if (took.toMillis() > 1000) {
            context.progress(String.format("synapse is healthy after %.1f s", took.toMillis() / 1000.0));
        }
    }

    /**
     * Plain HttpURLConnection: starts in milliseconds, where java.net.http costs most of a second and httpclient5
     * ({@link HostHttp}) half of one; Synapse does not care which name the request carries.
     */
    private static boolean answers(URI health) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) health.toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }

    private static String states(PlanContext context) {
        return containers(context).stream()
                .map(c -> c.service() + " " + (c.running() ? c.health().orElse("running") : "stopped"))
                .collect(Collectors.joining(", "));
    }

    private static List<ServiceContainer> containers(PlanContext context) {
        return context.docker().containersNow(context.config().projects().matrix());
    }

    private static StepFailedException timedOut(PlanContext context) {
        List<ServiceContainer> containers = containers(context);
        // Dependency order: a sick database explains a sick Synapse, not the other way round.
        ServiceContainer culprit = List.of("db", "synapse", "element").stream()
                .flatMap(service -> containers.stream().filter(c -> c.service().equals(service)))
                .filter(c -> !c.healthy())
                .findFirst()
                .orElse(containers.stream().filter(c -> c.service().equals("synapse")).findFirst().orElse(null));
        String message = "Synapse did not answer 200 on http://127.0.0.1:" + context.config().ports().synapse()
                + "/health within " + context.options().healthTimeout().toSeconds() + " s";
        if (culprit == null) {
            return new StepFailedException(message + "; no " + context.config().projects().matrix() + " containers exist");
        }
        return new StepFailedException(message + "; last 50 log lines of " + culprit.service() + " ("
                + (culprit.running() ? culprit.health().orElse("running") : "stopped") + "):\n"
                + context.engine().logs(culprit.id(), 50).stripTrailing());
    }
}
