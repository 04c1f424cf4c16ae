package io.matrixinstall.host;

import io.matrixinstall.command.Command;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** The machine this JVM runs on: commands through Commons Exec, files through NIO. */
public final class LocalHost implements Host {

    @Override
    public String name() {
        return "localhost";
    }

    @Override
    public ExecResult exec(Command command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return run(command, out, () -> out.toString(StandardCharsets.UTF_8));
    }

    @Override
    public ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE)));
            setOwnerAndMode(file, owner, mode);
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
                return run(command, out, () -> "");
            }
        } catch (IOException e) {
            throw new HostException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private ExecResult run(Command command, java.io.OutputStream out, java.util.function.Supplier<String> stdout) {
        CommandLine line = new CommandLine(command.argv().get(0));
        // handleQuoting=false: arguments are data, passed to the program exactly as built.
        command.argv().stream().skip(1).forEach(arg -> line.addArgument(arg, false));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(command.workingDirectory().map(Path::toFile).orElse(null))
                .get();
        executor.setStreamHandler(new PumpStreamHandler(out, err));
        executor.setExitValues(null);
        ExecuteWatchdog watchdog = ExecuteWatchdog.builder().setTimeout(command.timeout()).get();
        executor.setWatchdog(watchdog);
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putAll(command.environment());
        try {
            int code = executor.execute(line, environment);
            if (watchdog.killedProcess()) {
                throw new HostException(command.argv().get(0) + " did not finish within " + command.timeout().toSeconds() + " s");
            }
            return new ExecResult(code, stdout.get(), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HostException("cannot run " + command.argv().get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<FileState> stat(Path path) {
        try {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,gid,mode,isDirectory",
                    LinkOption.NOFOLLOW_LINKS);
            return Optional.of(new FileState((Boolean) attributes.get("isDirectory"),
                    new Ownership((Integer) attributes.get("uid"), (Integer) attributes.get("gid")),
                    (Integer) attributes.get("mode") & 07777));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot inspect " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> read(Path path) {
        try {
            return Optional.of(Files.readAllBytes(path));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        Path temporary = path.resolveSibling("." + path.getFileName() + ".matrix-install.tmp");
        try {
            // Owner and mode are set on the aside copy before the rename, so the file never exists
            // with looser permissions than asked for (secrets are written this way too).
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE)));
            Files.write(temporary, content);
            setOwnerAndMode(temporary, owner, mode);
            try {
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new HostException("cannot write " + path + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // best effort: the rename already happened or the write failed and was reported
            }
        }
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new HostException("cannot create directory " + path + ": " + e.getMessage(), e);
        }
        setOwnerAndMode(path, owner, mode);
    }

    @Override
    public void remove(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new HostException("cannot remove " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.List<String> list(Path directory) {
        try (java.util.stream.Stream<Path> entries = Files.list(directory)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return java.util.List.of();
        } catch (IOException e) {
            throw new HostException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void setOwnerAndMode(Path path, Ownership owner, int mode) {
        try {
            Files.setAttribute(path, "unix:uid", owner.uid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", owner.gid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new HostException("cannot set owner " + owner + " and mode " + FileState.modeString(mode)
                    + " on " + path + ": " + e.getMessage(), e);
        }
    }
}
