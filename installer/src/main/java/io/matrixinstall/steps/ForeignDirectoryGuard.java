package io.matrixinstall.steps;

import io.matrixinstall.component.Components;
import io.matrixinstall.provision.InitSystem;
import io.matrixinstall.plan.Wants;
import io.matrixinstall.config.ConfigException;
import io.matrixinstall.config.InstallConfig;
import io.matrixinstall.host.FileState;
import io.matrixinstall.host.Ownership;
import io.matrixinstall.layout.Layout;
import io.matrixinstall.plan.PlanContext;
import io.matrixinstall.plan.Step;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Before any change: refuses a directory at a configured path (base_dir, proxy_dir, ...) that exists, would
 * have its owner or mode changed, and is visibly someone else's: owned by another user, shared through the
 * sticky bit, or writable by every user or by a group other than root's. The product itself only ever
 * creates these directories as root, so one a killed run left with the umask's mode (0700, 0750) is still
 * repaired. Changes nothing.
 */
public final class ForeignDirectoryGuard implements Step {
    private static final int STICKY = 01000;
    private static final int OTHERS_WRITE = 0002;
    private static final int GROUP_WRITE = 0020;

    @Override
    public String name() {
        return "directory ownership";
    }

    @Override
    public void wants(PlanContext context, Wants wants) {
        InstallConfig config = context.config();
        wants.stat(config.baseDir(), config.proxyDir(), config.proxyDataDir(), config.renewal().agentDir(),
                config.renewal().cronDir(), InitSystem.SYSTEMD_RUNTIME);
    }

    @Override
    public void run(PlanContext context) {
        roots(context).forEach((key, path) -> context.host().stat(path).ifPresent(state -> check(key, path, state)));
    }

    /** The configured directories the enabled components create or set to root 0755, by key. */
    private static Map<String, Path> roots(PlanContext context) {
        InstallConfig config = context.config();
        return Components.configuredDirectories(config, AgentSchedule.useSystemd(config, context.host()));
    }

    /**
     * Why a directory is visibly someone else's (the rules above: owned by another user, shared through the sticky
     * bit, writable by every user or by a group other than root's), or empty when only root can change it.
     */
    public static Optional<String> foreign(FileState state) {
        int mode = state.mode();
        return Optional.ofNullable(state.owner().uid() != Ownership.ROOT.uid() ? "owned by uid " + state.owner().uid()
                : (mode & STICKY) != 0 ? "shared (sticky bit)"
                : (mode & OTHERS_WRITE) != 0 ? "writable by every user"
                : state.owner().gid() != Ownership.ROOT.gid() && (mode & GROUP_WRITE) != 0 ? "writable by group " + state.owner().gid()
                : null);
    }

    /** Whether the sticky bit is set: others may add entries of their own, but never rename or remove root's. */
    public static boolean sticky(FileState state) {
        return (state.mode() & STICKY) != 0;
    }

    static void check(String key, Path path, FileState state) {
        if (!state.directory()) {
            throw new ConfigException(key, path + " exists and is not a directory (a file or a symbolic link);"
                    + " move it away or choose another directory");
        }
        Ownership wanted = Ownership.ROOT;
        int mode = state.mode();
        String foreign = foreign(state).orElse(null);
        if (foreign != null) {
            String wantedText = wanted + " " + FileState.modeString(Layout.DIR);
            throw new ConfigException(key, path + " is " + foreign + " (" + state.owner() + " "
                    + FileState.modeString(mode) + "), so not matrix-install's to make " + wantedText
                    + "; choose a directory of its own, or make it " + wantedText + " yourself");
        }
    }
}
