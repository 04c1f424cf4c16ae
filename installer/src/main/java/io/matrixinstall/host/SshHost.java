package io.matrixinstall.host;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.LocalPortForwarder;
import net.schmizz.sshj.connection.channel.direct.Parameters;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * A host reached over one SSH connection (SSHJ), kept for the whole run. Commands run through one fixed wrapper
 * (see {@link Commands#remoteLine}); file calls are small fixed remote commands fed by stdin rather than SFTP, so
 * a login user other than root works through {@code sudo -n} like everything else. Every channel opened counts
 * as a round trip.
 */
public final class SshHost implements Host {
    private static final Duration LOCK_RELEASE = Duration.ofSeconds(5);

    private final SshTarget target;
    private final SshSettings settings;
    private final SSHClient client;
    private final boolean sudo;
    private final AtomicLong roundTrips = new AtomicLong(1); // the connection itself
    private final ChannelWriters writers;
    private OsRelease osRelease;
    private final ExecutorService pumps = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ssh-stream");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, InetSocketAddress> forwards = new LinkedHashMap<>();
    private final List<AutoCloseable> openForwards = new ArrayList<>();
    private volatile HostLock lock;

    private SshHost(SshTarget target, SshSettings settings, SSHClient client) {
        this.target = target;
        this.settings = settings;
        this.client = client;
        this.sudo = !target.root();
        this.writers = new ChannelWriters(client);
    }

    /**
     * Connects, checks the host key, logs in, and (for a user other than root) checks that sudo asks for no password.
     * Fails with one line naming the host when any of that does not work; {@code notices} hears of a key it added.
     */
    public static SshHost connect(SshTarget target, SshSettings settings, Consumer<String> notices) {
        SshHost host = new SshHost(target, settings, SshConnector.connect(target, settings, notices));
        if (host.sudo) {
            try {
                Raw check = host.call(HostCommands.sudoCheck(), null, null, null, 0);
                if (check.code() != 0) {
                    throw new HostException("cannot use sudo on " + target + " as " + target.user() + ": "
                            + ExecResult.lastLines(check.stderr(), 1));
                }
            } catch (RuntimeException e) {
                host.close();
                throw e;
            }
        }
        return host;
    }

    @Override
    public String name() {
        return target.toString();
    }

    @Override
    public long roundTrips() {
        return roundTrips.get();
    }

    // --- commands ---

    @Override
    public ExecResult exec(Command command) {
        return result(command, call(command, null, null, null, 0));
    }

    @Override
    public ExecResult execWithInput(Command command, InputStream input) {
        return result(command, call(command, input, null, null, 0));
    }

    @Override
    public ExecResult execToFile(Command command, Path file, Ownership owner, int mode) {
        return result(command, call(command, null, file, owner, mode));
    }

    private ExecResult result(Command command, Raw raw) {
        return new ExecResult(raw.code(), new String(raw.stdout(), StandardCharsets.UTF_8), raw.stderr());
    }

    private record Raw(int code, byte[] stdout, String stderr) {}

    /** One command on its own channel: environment and {@code input} fed to stdin, stdout and stderr collected. */
    private Raw call(Command command, InputStream input, Path outputFile, Ownership owner, int mode) {
        String line = HostCommands.remoteLine(command, sudo, outputFile, owner == null ? "" : owner.uid() + ":" + owner.gid(), mode);
        byte[] environment = HostCommands.remoteEnvironment(command);
        Channel channel = open(line, command);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Future<?> outPump = pump(channel.command().getInputStream(), out);
            Future<?> errPump = pump(channel.command().getErrorStream(), err);
            feed(channel, environment, input);
            if (!channel.awaitExit(command.timeout())) {
                throw new HostException(command.argv().get(0) + " did not finish within " + command.timeout().toSeconds()
                        + " s on " + name());
            }
            await(outPump);
            await(errPump);
            Integer status = channel.command().getExitStatus();
            if (status == null) {
                if (channel.command().getExitSignal() == null) {
                    throw lost(null); // neither an exit status nor a signal: the channel died with the connection
                }
                status = 255; // ended by a signal
            }
            Raw raw = new Raw(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
            if (outputFile != null) {
                refuseOutputFile(outputFile, raw);
            }
            return checked(command, raw);
        } finally {
            channel.close();
        }
    }

    /** The remote file script's refusal of the file a command's output was to go to ({@code execToFile}). */
    private void refuseOutputFile(Path outputFile, Raw raw) {
        String fileMark = HostCommands.REMOTE_MARK + "file ";
        if (raw.code() == 125 && raw.stderr().startsWith(fileMark)) {
            String[] said = raw.stderr().substring(fileMark.length()).strip().split(" ", 2);
            throw FileCall.WRITE.status(outputFile, Integer.parseInt(said[0]), said.length > 1 ? said[1] : null,
                    " on " + name());
        }
    }

    /** A password-asking sudo, or the wrapper's word that the program is missing, as the one-line failures they are. */
    private Raw checked(Command command, Raw raw) {
        refuseSudoPassword(raw.code(), raw.stderr());
        if ((raw.code() == 125 || raw.code() == 127) && raw.stderr().startsWith(HostCommands.REMOTE_MARK)) {
            throw new HostException("cannot run " + command.argv().get(0) + " on " + name() + ": "
                    + raw.stderr().substring(HostCommands.REMOTE_MARK.length()).strip());
        }
        return raw;
    }

    /** Writes the environment lines, then the input to its end, then EOF. A program that stops reading ends it. */
    private void feed(Channel channel, byte[] environment, InputStream input) {
        OutputStream stdin = writers.guard(channel.command().getOutputStream());
        byte[] buffer = new byte[64 * 1024];
        try {
            stdin.write(environment);
            if (input != null) {
                while (true) {
                    int n;
                    try {
                        n = input.read(buffer);
                    } catch (IOException e) {
                        throw new HostException("cannot read the input for " + name() + ": " + e.getMessage(), e);
                    }
                    if (n < 0) {
                        break;
                    }
                    stdin.write(buffer, 0, n);
                }
            }
            stdin.close(); // EOF
        } catch (IOException e) {
            // The program closed its stdin or ended: its exit status says why. A dead connection is found below.
        }
    }

    private void refuseSudoPassword(int status, String stderr) {
        if (sudo && status == 1 && (stderr.contains("sudo: a password is required")
                || stderr.contains("sudo: a terminal is required"))) {
            throw new HostException("sudo on " + target + " wants a password for " + target.user() + ", and matrix-install"
                    + " cannot type one: allow it without (a sudoers line '" + target.user() + " ALL=(ALL) NOPASSWD: ALL'"
                    + " in /etc/sudoers.d/) or log in as root (--host root@" + target.host() + ")");
        }
    }

    @Override
    public HostProcess start(Command command) {
        Channel channel = open(HostCommands.remoteLine(command, sudo, null, "", 0), command);
        OutputStream stdin = writers.guard(channel.command().getOutputStream());
        try {
            stdin.write(HostCommands.remoteEnvironment(command));
            stdin.flush();
        } catch (IOException e) {
            channel.close();
            throw lost(e);
        }
        pump(channel.command().getErrorStream(), OutputStream.nullOutputStream());
        InputStream output = new java.io.FilterInputStream(channel.command().getInputStream()) {
            // SSHJ's channel stream waits for data even when asked for none (InputStream.readNBytes asks so).
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : super.read(b, off, len);
            }
        };
        return new HostProcess() {
            @Override
            public InputStream output() {
                return output;
            }

            @Override
            public OutputStream input() {
                return stdin;
            }

            @Override
            public void close() {
                channel.close();
            }
        };
    }

    /** A session channel running {@code line} (which runs {@code command}); one round trip. */
    private Channel open(String line, Command command) {
        trace(roundTrips.incrementAndGet(), command.argv().get(0).equals("sh") && command.argv().size() > 3
                ? "script " + command.argv().get(2).strip().lines().findFirst().orElse("") : command.display());

        if (!client.isConnected()) {
            throw lost(null);
        }
        Session session = null;
        try {
            session = client.startSession();
            return new Channel(session, session.exec(line));
        } catch (IOException | IllegalStateException e) { // SSHJ: IllegalStateException when the transport just died
            if (session != null) {
                closeQuietly(session);
            }
            throw lost(e);
        }
    }

    /** One exec channel and its session. */
    private final class Channel {
        private final Session session;
        private final Session.Command command;

        Channel(Session session, Session.Command command) {
            this.session = session;
            this.command = command;
        }

        Session.Command command() {
            return command;
        }

        /** True when the command ended within {@code limit}; false (and the command killed) when it did not. */
        boolean awaitExit(Duration limit) {
            try {
                command.join(limit.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                if (!client.isConnected()) {
                    throw lost(e);
                }
            }
            if (!client.isConnected()) {
                throw lost(null);
            }
            if (command.isOpen() && command.getExitStatus() == null) {
                try {
                    command.signal(Signal.KILL);
                } catch (IOException ignored) {
                    // closing the channel below ends it anyway
                }
                return false;
            }
            return true;
        }

        void close() {
            closeQuietly(command);
            closeQuietly(session);
        }
    }

    private Future<?> pump(InputStream from, OutputStream to) {
        return pumps.submit(() -> {
            try {
                from.transferTo(to);
            } catch (IOException ignored) {
                // the channel closed; what arrived is kept
            }
            return null;
        });
    }

    private static void await(Future<?> pump) {
        try {
            pump.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            pump.cancel(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * With MATRIX_INSTALL_TRACE_SSH set, each round trip is told on stderr as it starts (how the counts in
     * docs/architecture-facts.md were taken).
     */
    private static void trace(long number, String what) {
        if (TRACE) {
            // When it starts, in seconds since the JVM started: where a run's time goes.
            double since = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
            System.err.printf("ssh round trip %d at %.3f s: %s%n", number, since, what.length() > 160 ? what.substring(0, 80) + "…" + what.substring(what.length() - 80) : what);
        }
    }

    private static final boolean TRACE = System.getenv("MATRIX_INSTALL_TRACE_SSH") != null;

    private HostException lost(Exception cause) {
        return new HostException("lost the SSH connection to " + target
                + (cause == null || cause instanceof IllegalStateException ? "" : ": " + SshConnector.reason(cause)), cause);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already closed, or the connection is gone
        }
    }

    // --- files ---

    private static String owner(Ownership owner) {
        return owner.uid() + ":" + owner.gid();
    }

    private static String why(Raw raw) {
        String said = raw.stderr().strip();
        return said.isEmpty() ? "exit " + raw.code() : said.lines().reduce((a, b) -> b).orElse(said);
    }

    @Override
    public Optional<FileState> stat(Path path) {
        return statAll(List.of(path)).get(path);
    }

    @Override
    public Map<Path, Optional<FileState>> statAll(Collection<Path> paths) {
        Map<Path, Optional<FileState>> states = new LinkedHashMap<>();
        paths.forEach(path -> states.put(path, Optional.empty()));
        if (paths.isEmpty()) {
            return states;
        }
        return parseStates(paths, call(HostCommands.remoteStatAll(paths), null, null, null, 0));
    }

    private Map<Path, Optional<FileState>> parseStates(Collection<Path> paths, Raw raw) {
        Map<Path, Optional<FileState>> states = new LinkedHashMap<>();
        paths.forEach(path -> states.put(path, Optional.empty()));
        if (raw.code() != 0) {
            throw new HostException("cannot inspect " + (paths.size() == 1 ? paths.iterator().next() : paths.size()
                    + " paths") + " on " + name() + ": " + why(raw));
        }
        // "RAWMODE UID GID PATH" per path that exists, then ">PATH" and "TARGET\n" per link (see remoteStatAll).
        String[] records = new String(raw.stdout(), StandardCharsets.UTF_8).split("\0", -1);
        int linkRecords = 0;
        while (linkRecords < records.length && !records[linkRecords].startsWith(">")) {
            linkRecords++;
        }
        Map<Path, Path> targets = new HashMap<>();
        for (int i = linkRecords; i + 1 < records.length; i += 2) {
            String target = records[i + 1];
            targets.put(Path.of(records[i].substring(1)), Path.of(target.substring(0, Math.max(0, target.length() - 1))));
        }
        for (String record : List.of(records).subList(0, linkRecords)) {
            if (record.isEmpty()) {
                continue;
            }
            String[] fields = record.split(" ", 4);
            int raw16 = Integer.parseInt(fields[0], 16);
            Path path = Path.of(fields[3]);
            Optional<Path> target = Optional.ofNullable(targets.get(path));
            if ((raw16 & 0170000) == 0120000 && target.isEmpty()) {
                throw new HostException("cannot read the link " + path + " on " + name());
            }
            states.put(path, Optional.of(new FileState((raw16 & 0170000) == 0040000,
                    new Ownership(Integer.parseInt(fields[1]), Integer.parseInt(fields[2])), raw16 & 07777, target)));
        }
        return states;
    }

    @Override
    public Optional<byte[]> read(Path path) {
        return readAll(List.of(path)).get(path);
    }

    @Override
    public Map<Path, Optional<byte[]>> readAll(Collection<Path> paths) {
        Map<Path, Optional<byte[]>> contents = new LinkedHashMap<>();
        List<Path> distinct = paths.stream().distinct().toList();
        if (distinct.isEmpty()) {
            return contents;
        }
        parseContents(distinct, call(HostCommands.remoteReadAll(distinct, READ_LIMIT), null, null, null, 0))
                .forEach((path, answer) -> contents.put(path, answer.get()));
        return contents;
    }

    /**
     * Each file's answer to {@link Commands#remoteReadAll}, in order: its bytes, absent, or its refusal or failure,
     * kept for its own path.
     */
    private Map<Path, Answer<Optional<byte[]>>> parseContents(List<Path> distinct, Raw raw) {
        Map<Path, Answer<Optional<byte[]>>> contents = new LinkedHashMap<>();
        byte[] out = raw.stdout();
        int at = 0;
        for (Path path : distinct) {
            int end = at;
            while (end < out.length && out[end] != '\n') {
                end++;
            }
            if (raw.code() != 0 || end >= out.length) {
                HostException failed = new HostException("cannot read " + path + " on " + name() + ": " + why(raw));
                contents.put(path, new Answer<>(null, failed));
                continue;
            }
            String[] status = new String(out, at, end - at, StandardCharsets.UTF_8).split(" ", 2);
            at = end + 1;
            int code = Integer.parseInt(status[0]);
            if (code == 0) {
                int length = Integer.parseInt(status[1]);
                if (at + length > out.length) {
                    HostException cut = new HostException("cannot read " + path + " on " + name() + ": the answer ended early");
                    contents.put(path, new Answer<>(null, cut));
                    at = out.length;
                    continue;
                }
                contents.put(path, Answer.of(Optional.of(java.util.Arrays.copyOfRange(out, at, at + length))));
                at += length;
            } else if (code == HostCommands.REMOTE_ABSENT) {
                contents.put(path, Answer.of(Optional.empty()));
            } else {
                contents.put(path, new Answer<>(null, FileCall.READ.status(path, code, status.length > 1 ? status[1] : null,
                        " on " + name())));
            }
        }
        return contents;
    }

    /**
     * One round trip for all of it: the stat, read and list scripts and the commands run one after the other in
     * one {@link Commands#remoteBatch}, each answer parsed as its own call would parse it.
     */
    @Override
    public Snapshot snapshot(Snapshot.Request request) {
        List<Command> batch = new ArrayList<>();
        if (!request.stat().isEmpty()) {
            batch.add(HostCommands.remoteStatAll(request.stat()));
        }
        if (!request.read().isEmpty()) {
            batch.add(HostCommands.remoteReadAll(request.read(), READ_LIMIT));
        }
        request.list().forEach(directory -> batch.add(HostCommands.remoteList(directory)));
        batch.addAll(request.commands());
        if (!request.follow().isEmpty()) {
            batch.add(HostCommands.remoteFollow(request.follow(), READ_LIMIT));
        }
        Map<Path, Optional<FileState>> states = new LinkedHashMap<>();
        Map<Path, Answer<Optional<byte[]>>> contents = new LinkedHashMap<>();
        Map<Path, Answer<List<String>>> listings = new LinkedHashMap<>();
        Map<List<String>, Answer<ExecResult>> results = new LinkedHashMap<>();
        if (batch.isEmpty()) {
            return new Snapshot(states, contents, listings, results);
        }
        Raw raw = call(HostCommands.remoteBatch(batch), null, null, null, 0);
        List<String> lines = new String(raw.stdout(), StandardCharsets.US_ASCII).lines().toList();
        if (raw.code() != 0 || lines.size() != batch.size()) {
            throw new HostException("cannot read the state of " + name() + ": " + why(raw));
        }
        java.util.Iterator<String> answers = lines.iterator();
        if (!request.stat().isEmpty()) {
            states.putAll(parseStates(request.stat(), batched(answers.next())));
        }
        if (!request.read().isEmpty()) {
            contents.putAll(parseContents(request.read(), batched(answers.next())));
        }
        for (Path directory : request.list()) {
            Raw listed = batched(answers.next());
            listings.put(directory, Answer.from(() -> parseList(directory, listed)));
        }
        for (Command command : request.commands()) {
            Raw answered = batched(answers.next());
            results.put(command.argv(), Answer.from(() -> result(command, checked(command, answered))));
        }
        if (!request.follow().isEmpty()) {
            putFollowed(batched(answers.next()), states, contents);
        }
        return new Snapshot(states, contents, listings, results);
    }

    /**
     * The answer of {@link HostCommands#remoteFollow}, parsed as a stat and a read of the paths it names; a walk the
     * host could not answer adds nothing (what it would have told is asked when it is read, as before).
     */
    private void putFollowed(Raw raw, Map<Path, Optional<FileState>> states, Map<Path, Answer<Optional<byte[]>>> contents) {
        byte[] out = raw.stdout();
        int[] at = {0};
        try {
            List<Path> walked = pathList(out, at);
            List<Path> beside = pathList(out, at);
            int statStart = at[0];
            // The stat's records ("RAWMODE UID GID PATH", ">PATH" then its target), then "=EXIT".
            for (int recordStart = at[0]; ; recordStart = at[0]) {
                String record = record(out, at);
                if (record.startsWith(">")) {
                    record(out, at);
                } else if (record.startsWith("=")) {
                    states.putAll(parseStates(walked, new Raw(Integer.parseInt(record.substring(1)),
                            Arrays.copyOfRange(out, statStart, recordStart), "")));
                    break;
                }
            }
            if (raw.code() == 0 && !beside.isEmpty()) {
                contents.putAll(parseContents(beside, new Raw(0, Arrays.copyOfRange(out, at[0], out.length), "")));
            }
        } catch (HostException | IllegalArgumentException e) {
            // left out
        }
    }

    /** NUL-terminated paths up to an empty record. */
    private static List<Path> pathList(byte[] out, int[] at) {
        List<Path> paths = new ArrayList<>();
        for (String record = record(out, at); !record.isEmpty(); record = record(out, at)) {
            paths.add(Path.of(record));
        }
        return paths;
    }

    /** The NUL-terminated record at {@code at[0]}, which moves past it. */
    private static String record(byte[] out, int[] at) {
        int end = at[0];
        while (end < out.length && out[end] != 0) {
            end++;
        }
        if (end >= out.length) {
            throw new IllegalArgumentException("the answer ended early");
        }
        String record = new String(out, at[0], end - at[0], StandardCharsets.UTF_8);
        at[0] = end + 1;
        return record;
    }

    /** One "EXIT STDOUT STDERR" line of {@link Commands#remoteBatch}. */
    private static Raw batched(String line) {
        String[] fields = line.split(" ", -1);
        java.util.Base64.Decoder base64 = java.util.Base64.getDecoder();
        return new Raw(Integer.parseInt(fields[0]), base64.decode(fields[1]),
                new String(base64.decode(fields[2]), StandardCharsets.UTF_8));
    }

    /** Read once per connection: the distribution does not change during a run (it is asked by several steps). */
    @Override
    public synchronized OsRelease osRelease() {
        if (osRelease == null) {
            osRelease = readOsRelease();
        }
        return osRelease;
    }

    private OsRelease readOsRelease() {
        Raw raw = call(HostCommands.remoteOsRelease(), null, null, null, 0);
        if (raw.code() != 0) {
            throw new HostException(name() + ": cannot read /etc/os-release: " + why(raw));
        }
        return OsRelease.parse(new String(raw.stdout(), StandardCharsets.UTF_8));
    }

    @Override
    public void writeAtomically(Path path, byte[] content, Ownership owner, int mode) {
        files(FileCall.WRITE, path, HostCommands.remoteWriteAtomically(path, owner(owner), mode, content.length),
                new ByteArrayInputStream(content));
    }

    @Override
    public void createDirectory(Path path, Ownership owner, int mode) {
        files(FileCall.DIRECTORY, path, HostCommands.remoteCreateDirectory(path, owner(owner), mode), null);
    }

    @Override
    public void setOwnerAndMode(Path path, Ownership owner, int mode) {
        files(FileCall.OWNER_AND_MODE, path, HostCommands.remoteSetOwnerAndMode(path, owner(owner), mode), null);
    }

    @Override
    public void remove(Path path) {
        files(FileCall.REMOVE, path, HostCommands.remoteRemove(path), null);
    }

    /** One call of the remote file script; its status, when not 0, worded as on every host. */
    private void files(FileCall what, Path path, Command command, InputStream input) {
        Raw raw = call(command, input, null, null, 0);
        if (raw.code() != 0) {
            throw what.status(path, raw.code(), raw.stderr(), " on " + name());
        }
    }

    @Override
    public List<String> list(Path directory) {
        return parseList(directory, call(HostCommands.remoteList(directory), null, null, null, 0));
    }

    private List<String> parseList(Path directory, Raw raw) {
        if (raw.code() != 0) {
            throw new HostException("cannot list " + directory + " on " + name() + ": " + why(raw));
        }
        return java.util.Arrays.stream(new String(raw.stdout(), StandardCharsets.UTF_8).split("\0"))
                .filter(name -> !name.isEmpty()).sorted().toList();
    }

    // --- the host lock and the scratch space ---

    private Path lockFile() {
        return settings.runDir().resolve("lock");
    }

    @Override
    public HostLock lock(String command, Duration wait, Consumer<String> waiting) {
        if (lock != null) {
            throw new IllegalStateException("this run already holds the host lock");
        }
        String about = ", " + command + ", since " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", over SSH from "
                + operatorMachine();
        Command take = HostCommands.remoteLock(settings.runDir(), wait.toSeconds(), about);
        String lockName = lockFile() + " on " + name();
        Channel channel = open(HostCommands.remoteLine(take, sudo, null, "", 0), take);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Future<?> errPump = pump(channel.command().getErrorStream(), err);
        try {
            channel.command().getOutputStream().write(HostCommands.remoteEnvironment(take));
            channel.command().getOutputStream().flush();
            BufferedReader said = new BufferedReader(new InputStreamReader(channel.command().getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = said.readLine(); line != null; line = said.readLine()) {
                String word = line.contains("\t") ? line.substring(0, line.indexOf('\t')) : line;
                String rest = line.substring(word.length()).strip();
                switch (word) {
                    case "waiting" -> {
                        if (!wait.isZero() && !wait.isNegative()) {
                            waiting.accept("waiting up to " + wait.toSeconds() + " s for the host lock " + lockName
                                    + ", held by " + rest);
                        }
                    }
                    case "busy" -> throw new HostBusyException(lockName, rest);
                    case "locked" -> {
                        HostLock taken = new RemoteLock(channel, rest);
                        lock = taken;
                        return taken;
                    }
                    default -> { } // nothing else is said
                }
            }
        } catch (IOException e) {
            channel.close();
            throw lost(e);
        } catch (RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.awaitExit(Duration.ofSeconds(5));
        await(errPump);
        channel.close();
        if (!client.isConnected()) {
            throw lost(null);
        }
        String stderr = err.toString(StandardCharsets.UTF_8);
        refuseSudoPassword(1, stderr);
        throw new HostException("cannot take the host lock " + lockName + ": "
                + (stderr.isBlank() ? "the lock holder ended" : ExecResult.lastLines(stderr, 1)));
    }

    /** Held while the remote lock process reads its stdin; closing that (or losing the connection) releases it. */
    private final class RemoteLock implements HostLock {
        private final Channel channel;
        private final String holder;

        RemoteLock(Channel channel, String holder) {
            this.channel = channel;
            this.holder = holder;
        }

        @Override
        public String holder() {
            return holder;
        }

        @Override
        public void close() {
            lock = null;
            try {
                channel.command().getOutputStream().close(); // EOF: the holder clears its description and ends
                channel.command().join(LOCK_RELEASE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException ignored) {
                // connection gone: sshd closed the holder's stdin, which releases the lock as well
            } finally {
                channel.close();
            }
        }
    }

    private static String operatorMachine() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            name = "";
        }
        return (name.isEmpty() ? "the operator's machine" : name) + " (pid " + ProcessHandle.current().pid() + ")";
    }

    private Path scratchRoot() {
        return ScratchSpace.root(settings.runDir());
    }

    private Path scratch(String name) {
        return ScratchSpace.directory(settings.runDir(), name, lock != null);
    }

    @Override
    public Path scratchDirectory(String name) {
        Path directory = scratch(name);
        Raw raw = call(HostCommands.remoteScratchDirectory(scratchRoot(), directory), null, null, null, 0);
        if (raw.code() != 0) {
            throw new HostException("cannot create scratch directory " + directory + " on " + name() + ": " + why(raw));
        }
        return directory;
    }

    @Override
    public void removeScratchDirectory(String name) {
        Path directory = scratch(name);
        Raw raw = call(HostCommands.remoteRemoveScratchDirectory(scratchRoot(), directory), null, null, null, 0);
        if (raw.code() != 0) {
            throw new HostException("cannot remove " + directory + " on " + name() + ": " + why(raw));
        }
    }

    // --- forwards and the connection ---

    /**
     * A port forward over the connection: a listener on an ephemeral port of the operator's 127.0.0.1 whose
     * connections come out of the host towards {@code address:port}. Nothing is opened on the host. One per
     * destination, kept until the host is closed; every connection through it counts as a round trip.
     */
    @Override
    public synchronized InetSocketAddress reach(String address, int port) {
        String key = address + ":" + port;
        InetSocketAddress known = forwards.get(key);
        if (known != null) {
            return known;
        }
        try {
            ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()) {
                @Override
                public Socket accept() throws IOException {
                    Socket accepted = super.accept();
                    trace(roundTrips.incrementAndGet(), "connection forwarded to " + key);
                    return accepted;
                }
            };
            LocalPortForwarder forwarder = client.newLocalPortForwarder(
                    new Parameters("127.0.0.1", listener.getLocalPort(), address, port), listener);
            Thread thread = new Thread(() -> {
                try {
                    forwarder.listen();
                } catch (IOException ignored) {
                    // closed with the host
                }
            }, "ssh-forward-" + key);
            thread.setDaemon(true);
            thread.start();
            openForwards.add(forwarder::close);
            openForwards.add(listener);
            InetSocketAddress local = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
            forwards.put(key, local);
            return local;
        } catch (IOException e) {
            throw new HostException("cannot forward a local port to " + key + " on " + name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        openForwards.forEach(SshHost::closeQuietly);
        openForwards.clear();
        forwards.clear();
        SshConnector.close(client);
        pumps.shutdownNow();
    }
}
