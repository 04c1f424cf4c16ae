package io.matrixinstall.component;

import io.matrixinstall.component.tls.TlsModes;
import io.matrixinstall.config.ConfigKey;
import io.matrixinstall.config.InstallConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A recurring run of the agent left on the host: a systemd timer, or a cron entry where systemd does not run
 * (templates {@code host/UNIT.service|timer|cron.ftl}). Two of them: the certificate renewal ({@code renew}, twice a
 * day, when the TLS mode renews with ACME) and the unattended update ({@code refresh}, once a night). The step that
 * installs or removes one is the same for both ({@code steps/ScheduleStep}).
 */
public final class Schedule implements Component {
    /** `renew` at 3 and 15 o'clock, at a minute derived from the domain. */
    public static final Schedule RENEWAL = new Schedule("matrix-install-renew", "renewal",
            config -> TlsModes.of(config).renewsWithAcme() && !config.renewal().schedule().equals("none"),
            config -> !TlsModes.of(config).renewsWithAcme() ? "tls.mode is " + TlsModes.of(config) : "renewal.schedule is none",
            config -> Map.of("minute", Math.floorMod(config.domain().hashCode(), 60)));

    /**
     * `refresh` once a night (1-5 in the host's time) at a minute and hour derived from the domain, so that many servers
     * do not hit a registry at once; away from the renewal runs at 3 and 15 only by the minute.
     */
    public static final Schedule REFRESH = new Schedule("matrix-install-refresh", "refresh",
            config -> !config.refreshSchedule().equals("off"),
            config -> "refresh.schedule is off",
            config -> {
                int hash = Math.floorMod((config.domain() + "/refresh").hashCode(), 60 * 5);
                return Map.of("minute", hash % 60, "hour", 1 + hash / 60);
            });

    /** Both, in the order `up` installs them. */
    public static final List<Schedule> ALL = List.of(RENEWAL, REFRESH);

    private final String unit;
    private final String what;
    private final Predicate<InstallConfig> wanted;
    private final Function<InstallConfig, String> off;
    private final Function<InstallConfig, Map<String, Object>> timing;

    private Schedule(String unit, String what, Predicate<InstallConfig> wanted, Function<InstallConfig, String> off,
            Function<InstallConfig, Map<String, Object>> timing) {
        this.unit = unit;
        this.what = what;
        this.wanted = wanted;
        this.off = off;
        this.timing = timing;
    }

    @Override
    public String name() {
        return what + " schedule";
    }

    /** The systemd unit (and cron file) name, e.g. matrix-install-renew. */
    public String unit() {
        return unit;
    }

    /** "renewal" or "refresh", for messages. */
    public String what() {
        return what;
    }

    @Override
    public boolean enabled(InstallConfig config) {
        return wanted.test(config);
    }

    @Override
    public String disabledBecause(InstallConfig config) {
        return off.apply(config);
    }

    /** When it runs: the values its templates take ("minute", "hour"). */
    public Map<String, Object> timing(InstallConfig config) {
        return timing.apply(config);
    }

    /** Both schedules write the agent directory, and the cron directory where systemd does not schedule them. */
    @Override
    public Map<String, Path> configuredDirectories(InstallConfig config, boolean systemd) {
        Map<String, Path> roots = new LinkedHashMap<>();
        roots.put(ConfigKey.RENEWAL_AGENT_DIR.key(), config.renewal().agentDir());
        if (!systemd) {
            roots.put(ConfigKey.RENEWAL_CRON_DIR.key(), config.renewal().cronDir());
        }
        return roots;
    }

    /** The agent's jar left on the host, which both schedules run. */
    public static Path agentJar(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.jar");
    }

    /**
     * The quick-check record beside the agent's jar (steps/JarRecord): its SHA-256 and stat as last written, so a
     * run need not hash the copy again while it is unchanged.
     */
    public static Path agentJarRecord(InstallConfig config) {
        return config.renewal().agentDir().resolve("matrix-install.jar.record");
    }

    /** What each renewal run logged (status shows the last lines). */
    public static Path renewLog(InstallConfig config) {
        return config.renewal().agentDir().resolve("renew.log");
    }
}
