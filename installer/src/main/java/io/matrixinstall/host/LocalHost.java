package io.matrixinstall.host;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

/** The machine this JVM runs on: commands through Commons Exec, files through NIO. */
public final class LocalHost implements Host {
    /**
     * Where the host lock and the agent's scratch space live: root-only, cleared at boot (locks die then
     * anyway), and under no configured directory, so every install on this host shares one lock.
     */
    public static final Path DEFAULT_RUN_DIR = Path.of("/run/matrix-install");

    private final Path runDir;
    private LockFile lock;

    public LocalHost() {
        this(DEFAULT_RUN_DIR);
    }

    /** A host whose lock and scratch space are under {@code runDir} (tests keep their installs apart this way). */
    public LocalHost(Path runDir) {
        this.runDir = runDir.toAbsolutePath().normalize();
    }

    /**
     * Loads what the first file call needs (JNA's native library, unpacked from the jar, and libc's calls bound), for a
     * start-up thread to do while the main one parses the command line.
     */
    public static void warmUp() {
        LocalFiles.warmUp();
    }

    @Override
    public boolean thisMachine() {
        return true;
    }

    @Override
    public String name() {
        return "localhost";
    }

    @Override
    public ExecResult exec(Command command) {
        if (command.localAnswer().isPresent()) {
            Map<String, String> environment = new HashMap<>(System.getenv());
            environment.putAll(command.environment());
            Optional<ExecResult> answered = command.localAnswer().get().answer(environment);
            if (answered.isPresent()) {
                return answered.get();
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return run(command, null, out, () -> out.toString(StandardCharsets.UTF_8));
    }

    /**
     * A snapshot's commands only read (engine listings, image ids, {@code ss}, {@code sha256sum}), so they run side
     * by side while the files are read: a no-op run waits for the slowest of its dozen reads, not for their sum.
     */
    @Override
    public Snapshot snapshot(Snapshot.Request request) {
        if (request.commands().size() < 2) {
            return Host.super.snapshot(request);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(HostCommands.PARALLEL_READS, request.commands().size()), runnable -> {
            Thread thread = new Thread(runnable, "snapshot-read");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Answer<ExecResult>>> running = new ArrayList<>(Collections.nCopies(request.commands().size(), null));
            for (int i : HostCommands.slowFirst(request.commands())) {
                Command command = request.commands().get(i);
                running.set(i, pool.submit(() -> Answer.from(() -> exec(command))));
            }
            Snapshot files = Host.super.snapshot(new Snapshot.Request(request.stat(), request.read(), request.list(), List.of(),
                    request.follow()));
            Map<List<String>, Answer<ExecResult>> results = new LinkedHashMap<>();
            for (int i = 0; i < running.size(); i++) {
                results.put(request.commands().get(i).argv(), running.get(i).get());
            }
            return new Snapshot(files.states(), files.contents(), files.listings(), results);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : new HostException(e.getCause().toString(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostException("interrupted while reading the state of " + name(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    public ExecResult execWithInput(Command command, java.io.InputStream input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return run(command, input, out, () -> out.toString(StandardCharsets.UTF_8));
    }

    @Override
    public HostProcess start(Command command) {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).redirectError(ProcessBuilder.Redirect.DISCARD);
        command.workingDirectory().ifPresent(directory -> builder.directory(directory.toFile()));
        builder.environment().putAll(command.environment());
        try {
            Process process = builder.start();
            return new HostProcess() {
                @Override
                public java.io.InputStream output() {
                    return process.getInputStream();
                }

                @Override
                public java.io.OutputStream input() {
                    return process.getOutputStream();
                }

                @Override
                public void close() {
                    process.destroy();
                }
            };
        } catch (IOException e) {
            throw new HostException("cannot run " + command.argv().get(0) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        java.io.OutputStream created = files(FileCall.WRITE, file, () -> LocalFiles.createForOutput(file, owner, mode));
        try (java.io.OutputStream out = new java.io.BufferedOutputStream(created, 64 * 1024)) {
            return run(command, null, out, () -> "");
        } catch (IOException e) {
            throw new HostException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** A file call made by {@link LocalFiles}, its refusal or failure worded as on every host. */
    private static <T> T files(FileCall call, Path path, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (LocalFiles.Stop stop) {
            throw call.status(path, stop.code, stop.detail, "");
        }
    }

    private static void files(FileCall call, Path path, Runnable body) {
        files(call, path, () -> {
            body.run();
            return null;
        });
    }

    private ExecResult run(Command command, java.io.InputStream input, java.io.OutputStream out,
            java.util.function.Supplier<String> stdout) {
        CommandLine line = new CommandLine(command.argv().get(0));
        // handleQuoting=false: arguments are data, passed to the program exactly as built.
        command.argv().stream().skip(1).forEach(arg -> line.addArgument(arg, false));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(command.workingDirectory().map(Path::toFile).orElse(null))
                .get();
        executor.setStreamHandler(new PumpStreamHandler(out, err, input));
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
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,gid,mode,isDirectory,isSymbolicLink",
                    LinkOption.NOFOLLOW_LINKS);
            Optional<Path> target = (Boolean) attributes.get("isSymbolicLink") ? Optional.of(Files.readSymbolicLink(path))
                    : Optional.empty();
            return Optional.of(new FileState((Boolean) attributes.get("isDirectory"),
                    new Ownership((Integer) attributes.get("uid"), (Integer) attributes.get("gid")),
                    (Integer) attributes.get("mode") & 07777, target));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new HostException("cannot inspect " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * No-follow like every write: a link planted in a directory the container user owns must not make root read
     * another file (the signing key, say, is copied into the config-check container, whose words we print); and
     * never waiting: a FIFO planted there is refused, not opened to wait for a writer.
     */
    @Override
    public Optional<byte[]> read(Path path) {
        return files(FileCall.READ, path, () -> LocalFiles.read(path, READ_LIMIT));
    }

    /** /etc/os-release is a link on Debian and Ubuntu, in a root-only directory: the one read that follows. */
    @Override
    public OsRelease osRelease() {
        try {
            return OsRelease.parse(Files.readString(Path.of("/etc/os-release"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new HostException(name() + ": cannot read /etc/os-release: " + e.getMessage(), e);
        }
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        files(FileCall.WRITE, path, () -> LocalFiles.writeAtomically(path, content, owner, mode));
    }

    /** The name a write of {@code path} goes through; fixed, so the next write of the file removes a stale one. */
    static Path temporaryFor(Path path) {
        return path.resolveSibling(LocalFiles.temporaryName(path.getFileName().toString()));
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        files(FileCall.DIRECTORY, path, () -> LocalFiles.createDirectory(path, owner, mode));
    }

    @Override
    public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
        if (lock != null) {
            throw new IllegalStateException("this run already holds the host lock");
        }
        prepareRunDirectory();
        LockFile taken = LockFile.acquire(runDir.resolve("lock"), command, wait, waiting);
        try {
            removeTree(scratchRoot()); // what a killed holder staged
        } catch (RuntimeException e) {
            taken.close();
            throw e;
        }
        lock = taken;
        return new HostLock() {
            @Override
            public String holder() {
                return taken.holder();
            }

            @Override
            public void close() {
                lock = null;
                taken.close();
            }
        };
    }

    private void prepareRunDirectory() {
        if (Files.isSymbolicLink(runDir)) {
            throw FileCall.DIRECTORY.symbolicLink(runDir);
        }
        try {
            Files.createDirectories(runDir);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new HostException("cannot take the host lock in " + runDir + ": permission denied", e);
        } catch (IOException e) {
            throw new HostException("cannot create " + runDir + ": " + e.getMessage(), e);
        }
    }

    private Path scratchRoot() {
        return ScratchSpace.root(runDir);
    }

    private Path scratch(String name) {
        return ScratchSpace.directory(runDir, name, lock != null);
    }

    @Override
    public Path scratchDirectory(String name) {
        Path directory = scratch(name);
        removeTree(directory);
        try {
            Files.createDirectories(scratchRoot(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new HostException("cannot create scratch directory " + directory + ": " + e.getMessage(), e);
        }
        // Owned by the agent (root on a server); the mode is set again because umask trims the create mode.
        try {
            Files.setPosixFilePermissions(scratchRoot(), PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new HostException("cannot protect scratch directory " + directory + ": " + e.getMessage(), e);
        }
        return directory;
    }

    @Override
    public void removeScratchDirectory(String name) {
        removeTree(scratch(name));
        try {
            Files.deleteIfExists(scratchRoot());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // another scratch directory of this run is still in use
        } catch (IOException e) {
            throw new HostException("cannot remove " + scratchRoot() + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a tree bottom-up without following any link in it. */
    private static void removeTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                        throws IOException {
                    Files.delete(file);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new HostException("cannot remove " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void remove(Path path) {
        files(FileCall.REMOVE, path, () -> LocalFiles.remove(path));
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
        files(FileCall.OWNER_AND_MODE, path, () -> LocalFiles.setOwnerAndMode(path, owner, mode));
    }
}
