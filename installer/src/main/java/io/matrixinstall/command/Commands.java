package io.matrixinstall.command;

import io.matrixinstall.host.Command;
import io.matrixinstall.host.LocalAnswers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every shell command the agent runs, built as argv. Steps call these factories and never assemble
 * command strings themselves, so quoting can't go wrong and each command is unit-tested here.
 */
public final class Commands {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration LONG = Duration.ofMinutes(15);

    /**
     * The label every compose service carries: a hash of what its container is made from (see render's
     * WantedFiles), read back by {@link #describeContainers} and the engine.
     */
    public static final String INPUTS_LABEL = "org.matrix-install.inputs";

    private Commands() {}

    private static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), timeout);
    }

    public static Command userId() {
        return of(SHORT, "id", "-u").answeredLocallyBy(new LocalAnswers.UserId());
    }

    /** Free bytes on the file system holding {@code path} (POSIX output, one data line). */
    public static Command freeBytes(Path path) {
        return of(SHORT, "df", "-P", "-B1", path.toString());
    }

    /** {@link #freeBytes} of the nearest existing directory at or above {@code path} (one that is not there yet). */
    public static Command freeBytesAt(Path path) {
        return new Command(List.of("sh", "-c", "p=$1; while [ ! -e \"$p\" ]; do p=$(dirname -- \"$p\"); done; exec df -P -B1 -- \"$p\"",
                "sh", path.toString()), Optional.empty(), Map.of(), SHORT);
    }

    /** Listening TCP sockets with their programs, no header. */
    public static Command listeningSockets() {
        return of(SHORT, "ss", "-H", "-l", "-t", "-n", "-p");
    }

    /** Bound UDP sockets, in the same columns as {@link #listeningSockets()}. */
    public static Command boundUdpSockets() {
        return of(SHORT, "ss", "-H", "-l", "-u", "-n", "-p");
    }

    /**
     * {@link #listeningSockets()} or {@link #boundUdpSockets()} without the programs: the same columns but the last.
     * Which ports are taken is what every run asks; which program holds one only a refused run needs, and naming the
     * programs makes ss read every process's descriptors (most of its time).
     */
    public static Command takenPorts(String protocol) {
        return of(SHORT, "ss", "-H", "-l", protocol.equals("udp") ? "-u" : "-t", "-n");
    }

    /** Every address on the host's interfaces, one line per address. */
    public static Command interfaceAddresses() {
        return of(SHORT, "ip", "-o", "addr", "show");
    }

    /**
     * The host's Docker engine API on this command's standard input and output (the CLI's own transport for
     * ssh:// engines), so docker-java reaches the host's engine whichever machine the agent runs on. It honours
     * the host's DOCKER_HOST. No practical time limit: a connection lives as long as the engine stream it carries
     * (a followed log may run for days).
     */
    public static Command dockerDialStdio() {
        return of(Duration.ofDays(3650), "docker", "system", "dial-stdio");
    }

    public static Command dockerInfo() {
        return of(SHORT, "docker", "info", "--format", "{{.ServerVersion}}").answeredLocallyBy(new EngineAnswers.ServerVersion());
    }

    public static Command composeVersion(ComposeCli cli) {
        List<String> argv = new ArrayList<>(cli.prefix());
        argv.add("version");
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    /** Between the fields of {@link #imageIds}'s answers when some image is missing (never in docker's words). */
    public static final char FIELD_END = '\0';

    /**
     * The id of each image, asked in one docker start: when all are there (every no-op run), their ids one a line in
     * order; otherwise each image is asked alone and answers {@code STDOUT NUL EXIT NUL STDERR NUL} in order, what
     * {@code docker image inspect --format {{.Id}} REFERENCE} says alone (exit 1 and "No such image" when absent),
     * which is the whole command for one image.
     */
    public static Command imageIds(List<String> references) {
        if (references.size() == 1) { // alone: the answer is docker's own
            return of(SHORT, "docker", "image", "inspect", "--format", "{{.Id}}", "--", references.get(0))
                    .answeredLocallyBy(new EngineAnswers.ImageIds(List.copyOf(references)));
        }
        List<String> args = new ArrayList<>(List.of("sh", "-c", """
                ids=$(docker image inspect --format '{{.Id}}' -- "$@" 2>/dev/null) && { printf '%s\\n' "$ids"; exit 0; }
                for r do
                  { err=$(docker image inspect --format '{{.Id}}' -- "$r" 2>&1 >&3); } 3>&1
                  printf '\\0%s\\0%s\\0' "$?" "$err"
                done
                """, "sh"));
        args.addAll(references);
        return new Command(args, Optional.empty(), Map.of(), SHORT)
                .answeredLocallyBy(new EngineAnswers.ImageIds(List.copyOf(references)));
    }

    /** The image's RepoDigests as JSON, e.g. {@code ["postgres@sha256:..."]}. */
    public static Command imageRepoDigests(String image) {
        return of(SHORT, "docker", "image", "inspect", "--format", "{{json .RepoDigests}}", image);
    }

    /** Gives an image (by id or reference) one more tag. */
    public static Command tagImage(String image, String tag) {
        return of(SHORT, "docker", "tag", image, tag);
    }

    /** Tags of one repository, newest image first: "TAG IMAGE_ID" per line. */
    public static Command repositoryTags(String repository) {
        return of(SHORT, "docker", "images", "--no-trunc", "--format", "{{.Tag}} {{.ID}}", repository);
    }

    /** Removes one tag (the image goes only when nothing else names or uses it). */
    public static Command untagImage(String tag) {
        return of(SHORT, "docker", "rmi", tag);
    }

    /** Ids of dangling images (untagged, unused as parents): what {@code image prune} removes. */
    public static Command danglingImages() {
        return of(SHORT, "docker", "images", "-q", "--filter", "dangling=true");
    }

    /** Removes dangling images only: tagged images (the kept rollback images too) and volumes stay. */
    public static Command pruneDanglingImages() {
        return of(LONG, "docker", "image", "prune", "--force");
    }

    /** Size of the builder cache as the engine reports it, e.g. "0B". */
    public static Command builderCacheSize() {
        return of(SHORT, "docker", "system", "df", "--format", "{{if eq .Type \"Build Cache\"}}{{.Size}}{{end}}");
    }

    public static Command pruneBuilderCache() {
        return of(LONG, "docker", "builder", "prune", "--force");
    }

    /**
     * The Synapse database as a pg_dump custom-format archive on stdout, run inside the db container over its
     * local socket. Without the rows of e2e_one_time_keys_json (seed 002: clients upload fresh keys; old ones
     * must never be handed out twice), its definition stays.
     */
    public static Command pgDump(String dbContainer) {
        return of(LONG, "docker", "exec", dbContainer, "pg_dump", "-U", "synapse", "-d", "synapse", "-Fc",
                "--exclude-table-data=e2e_one_time_keys_json");
    }

    // --- data: backup, restore, migrate (io.matrixinstall.data) ---

    private static final java.util.regex.Pattern DATABASE_NAME = java.util.regex.Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private static String database(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a database name: " + name);
        }
        return name;
    }

    /** One SQL statement run by psql inside the db container as the superuser "synapse"; unaligned, tuples only. */
    public static Command sql(String dbContainer, String database, String statement) {
        return sqlAs(dbContainer, "synapse", database, statement);
    }

    /**
     * One SQL statement run by psql inside the db container as {@code role}, logged in over the container's local
     * socket (trusted there, as the official image's initdb leaves it): a session of that role alone, which no
     * statement can turn into the superuser's (unlike {@code SET ROLE} in a superuser's session).
     */
    public static Command sqlAs(String dbContainer, String role, String database, String statement) {
        return of(LONG, "docker", "exec", dbContainer, "psql", "-U", database(role), "-d", database(database), "-v",
                "ON_ERROR_STOP=1", "-X", "-q", "-t", "-A", "-c", statement);
    }

    /**
     * A new, empty database as Synapse requires it: UTF8, C collation and ctype, from template0 (template1 may
     * carry another locale), owned by the role Synapse connects as.
     */
    public static Command createSynapseStyleDatabase(String dbContainer, String name) {
        return createSynapseStyleDatabase(dbContainer, name, "synapse");
    }

    /** The same, owned by {@code owner} (who may then create objects in it: the public schema is its owner's). */
    public static Command createSynapseStyleDatabase(String dbContainer, String name, String owner) {
        return sql(dbContainer, "postgres", "CREATE DATABASE " + database(name)
                + " WITH TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' OWNER " + database(owner));
    }

    /**
     * A fresh login role that is no superuser and may create nothing outside a database it owns: an old one of the
     * same name (a killed run's) is dropped first, so it never carries attributes or memberships someone gave it.
     */
    public static Command recreateUnprivilegedRole(String dbContainer, String role) {
        return sql(dbContainer, "postgres", "DROP ROLE IF EXISTS " + database(role) + "; CREATE ROLE " + database(role)
                + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS");
    }

    /** Gives everything {@code role} owns in {@code database} (and that database) to "synapse", then drops the role. */
    public static Command handOverAndDropRole(String dbContainer, String database, String role) {
        return sql(dbContainer, database, "REASSIGN OWNED BY " + database(role) + " TO synapse; DROP OWNED BY "
                + database(role) + "; DROP ROLE " + database(role));
    }

    public static Command dropRole(String dbContainer, String role) {
        return sql(dbContainer, "postgres", "DROP ROLE IF EXISTS " + database(role));
    }

    /** Drops a database, closing its connections. */
    public static Command dropDatabase(String dbContainer, String name) {
        return sql(dbContainer, "postgres", "DROP DATABASE IF EXISTS " + database(name) + " WITH (FORCE)");
    }

    public static Command renameDatabase(String dbContainer, String from, String to) {
        return sql(dbContainer, "postgres", "ALTER DATABASE " + database(from) + " RENAME TO " + database(to));
    }

    /**
     * Restores a pg_dump custom archive that lies on the host into {@code database}, streamed: the host's shell
     * feeds the file to pg_restore's stdin inside the container, so it is neither copied nor held in memory.
     * {@code --no-owner --no-acl}: objects belong to "synapse" whatever role the source used (seed 002 dumps
     * with {@code -O}).
     */
    public static Command pgRestoreFromHostFile(String dbContainer, String database, Path dump) {
        return of(Duration.ofHours(6), "sh", "-c",
                "exec docker exec -i \"$1\" pg_restore -U synapse -d \"$2\" --no-owner --no-acl --role=synapse"
                        + " --exit-on-error < \"$3\"", "sh", dbContainer, database(database), dump.toString());
    }

    /**
     * The same, logged in as {@code role} (no superuser): whatever the archive holds runs with that role's rights
     * only. Objects belong to {@code role}; no {@code --role}, which would only SET ROLE inside a superuser's session.
     */
    public static Command pgRestoreFromHostFileAs(String dbContainer, String role, String database, Path dump) {
        return of(Duration.ofHours(6), "sh", "-c",
                "exec docker exec -i \"$1\" pg_restore -U \"$2\" -d \"$3\" --no-owner --no-acl --exit-on-error < \"$4\"",
                "sh", dbContainer, database(role), database(database), dump.toString());
    }

    /** The table of contents of a custom-format archive on the host ({@code pg_restore -l}, one entry a line). */
    public static Command pgRestoreList(String dbContainer, Path dump) {
        return of(LONG, "sh", "-c", "exec docker exec -i \"$1\" pg_restore -l < \"$2\"", "sh", dbContainer, dump.toString());
    }

    /** The SHA-256 of each file, streamed by the host ({@code sha256sum}: "HEX  PATH" per line). */
    public static Command sha256(List<Path> files) {
        List<String> argv = new ArrayList<>(List.of("sha256sum", "--"));
        files.forEach(f -> argv.add(f.toString()));
        return new Command(argv, Optional.empty(), Map.of(), Duration.ofHours(2));
    }

    /** The size in bytes of each file, one per line, in order. */
    public static Command fileSizes(List<Path> files) {
        List<String> argv = new ArrayList<>(List.of("stat", "-c", "%s", "--"));
        files.forEach(f -> argv.add(f.toString()));
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    /** The first bytes of a file (a format's magic: "SQLite format 3", "PGDMP"), never the whole file. */
    public static Command fileHead(Path file, int bytes) {
        return of(SHORT, "head", "-c", Integer.toString(bytes), "--", file.toString());
    }

    /** A tar stream of {@code name} inside {@code directory} on stdout, owners as numbers (991 stays 991). */
    public static Command tarCreate(Path directory, String name) {
        return of(Duration.ofHours(6), "tar", "--numeric-owner", "-C", directory.toString(), "-cf", "-", name);
    }

    /** Between the two listings {@link #tarListings} prints (a NUL never occurs in tar's escaped names). */
    public static final String LISTINGS_SEPARATOR = "\0\n";

    /**
     * Two listings of a tar file in one call, separated by {@link #LISTINGS_SEPARATOR}: the member names, one a line,
     * then the same members in the same order with their type and mode first ("-rw-r--r--", "drwx", "l", "h", "c").
     * Escape quoting: a newline in a name is printed as "\\n", never as a line break.
     */
    public static Command tarListings(Path archive) {
        return of(Duration.ofHours(6), "sh", "-c", "tar --numeric-owner --quoting-style=escape -tf \"$1\" && printf '\\0\\n'"
                + " && exec tar --numeric-owner --quoting-style=escape -tvf \"$1\"", "sh", archive.toString());
    }

    /**
     * Unpacks a tar file whose listing was checked (regular files and directories only) into {@code directory}, as
     * root but keeping neither owners nor modes: files are root's, modes masked by umask 022 (which also drops
     * setuid, setgid and sticky bits), and no extended attributes (file capabilities), ACLs or SELinux labels.
     */
    public static Command tarExtract(Path archive, Path directory) {
        return of(Duration.ofHours(6), "sh", "-c", "umask 022 && exec tar --no-same-owner --no-same-permissions --no-xattrs"
                + " --no-acls --no-selinux -C \"$1\" -xf \"$2\"", "sh", directory.toString(), archive.toString());
    }

    /** Takes setuid, setgid and sticky bits and write access for group and others off a whole tree (links untouched). */
    public static Command stripSpecialModes(Path tree) {
        return of(LONG, "chmod", "-R", "u-s,g-s,o-t,go-w", "--", tree.toString());
    }

    /** Copies a file into a new root-only file, through no symbolic link at either end (a name taken is an error). */
    public static Command copyToNewFile(Path from, Path to) {
        return of(Duration.ofHours(6), "sh", "-c", "umask 077 && exec dd if=\"$1\" iflag=nofollow of=\"$2\" oflag=nofollow"
                + " conv=excl bs=1M status=none", "sh", from.toString(), to.toString());
    }

    /**
     * Puts directory {@code incoming} at {@code live} by renames only: whatever is at {@code live} (a directory, or a
     * link someone planted: never followed) is moved to {@code aside} first.
     */
    public static Command replaceDirectory(Path incoming, Path live, Path aside) {
        return of(SHORT, "sh", "-c", "if [ -e \"$2\" ] || [ -L \"$2\" ]; then mv -T -- \"$2\" \"$3\" || exit 1; fi;"
                + " exec mv -T -- \"$1\" \"$2\"", "sh", incoming.toString(), live.toString(), aside.toString());
    }

    /** Gives a whole tree to an owner (uid:gid), never following links. */
    public static Command chownTree(Path path, int uid, int gid) {
        return of(LONG, "chown", "-R", "-h", uid + ":" + gid, "--", path.toString());
    }

    /** Synapse's version inside its container. */
    public static Command synapseVersion(String synapseContainer) {
        return of(SHORT, "docker", "exec", synapseContainer, "python", "-c", "import synapse; print(synapse.__version__)");
    }

    /** Copies a host file into a container. */
    public static Command copyIntoContainer(Path file, String container, String target) {
        return of(LONG, "docker", "cp", file.toString(), container + ":" + target);
    }

    /**
     * Exact row counts of every table of the Synapse database, one {@code table|rows} line each, sorted: what
     * `db upgrade` compares before and after (not tab-separated: Commons Exec drops a lone tab argument). e2e_one_time_keys_json is left out (its rows are never dumped).
     */
    public static Command tableRowCounts(String dbContainer) {
        return of(LONG, "docker", "exec", dbContainer, "psql", "-U", "synapse", "-d", "synapse", "-v", "ON_ERROR_STOP=1",
                "-X", "-A", "-t", "-F", "|", "-c",
                "SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I',"
                        + " n.nspname, c.relname), false, true, '')))[1]::text FROM pg_class c JOIN pg_namespace n"
                        + " ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')"
                        + " AND c.relname <> 'e2e_one_time_keys_json' ORDER BY 1");
    }

    /** The server's version string ({@code SHOW server_version}), e.g. "17.6 (Debian 17.6-0+deb13u1)". */
    public static Command serverVersion(String dbContainer) {
        return of(SHORT, "docker", "exec", dbContainer, "psql", "-U", "synapse", "-d", "synapse", "-X", "-A", "-t",
                "-c", "SHOW server_version");
    }

    /**
     * Restores a dump into the existing (freshly initialised, empty) Synapse database: objects and data, in one
     * transaction, stopping at the first error.
     */
    public static Command pgRestoreInto(String dbContainer, String dumpInContainer) {
        return of(LONG, "docker", "exec", dbContainer, "pg_restore", "-U", "synapse", "-d", "synapse", "--exit-on-error",
                "--single-transaction", dumpInContainer);
    }

    /** Fresh planner statistics: a restore carries none, and Synapse's queries need them. */
    public static Command analyze(String dbContainer) {
        return of(LONG, "docker", "exec", dbContainer, "psql", "-U", "synapse", "-d", "synapse", "-X", "-v", "ON_ERROR_STOP=1",
                "-c", "ANALYZE");
    }

    public static Command volumeRemove(String volume) {
        return of(SHORT, "docker", "volume", "rm", volume);
    }

    /** Stops and removes one service's container (its named volumes stay). */
    public static Command composeRemoveService(ComposeCli cli, String project, Path file, String service) {
        return compose(cli, project, file, Duration.ofMinutes(2), "rm", "--stop", "--force", service);
    }

    /** Creates and starts one service alone (not the services it depends on). */
    public static Command composeUpService(ComposeCli cli, String project, Path file, String service) {
        return compose(cli, project, file, LONG, "up", "-d", "--no-deps", service);
    }

    public static Command removeInContainer(String container, String path) {
        return of(SHORT, "docker", "exec", container, "rm", "-f", path);
    }

    /**
     * Every container, running or not, of the compose projects asked, as {@code docker inspect} describes it (a JSON
     * array; {@code []} when there is none): the one read of containers, listed and inspected in one call.
     */
    public static Command projectContainers(List<String> projects) {
        if (projects.size() == 1) { // a poll's: the engine filters
            return Command.shell(SHORT, """
                    ids=$(docker ps -a -q --no-trunc --filter "label=com.docker.compose.project=$1") || exit
                    if [ -z "$ids" ]; then echo '[]'; exit 0; fi
                    exec docker inspect $ids
                    """, projects.get(0)).answeredLocallyBy(new EngineAnswers.ProjectContainers(List.copyOf(projects)));
        }
        // One docker ps for all projects: docker ANDs label filters, so it lists every compose container with its
        // project and the shell keeps the projects asked.
        return Command.shell(SHORT, """
                list=$(docker ps -a --no-trunc --filter label=com.docker.compose.project \\
                  --format '{{.ID}} {{.Label "com.docker.compose.project"}}') || exit
                ids=
                while read -r id project; do
                  for wanted do
                    if [ "$project" = "$wanted" ]; then ids="$ids $id"; fi
                  done
                done <<EOF
                $list
                EOF
                if [ -z "$ids" ]; then echo '[]'; exit 0; fi
                exec docker inspect $ids
                """, projects.toArray(String[]::new)).answeredLocallyBy(new EngineAnswers.ProjectContainers(List.copyOf(projects)));
    }

    /**
     * The container's address on each network it is attached to, one per line (the db's on the compose network:
     * how the agent reaches PostgreSQL without publishing it on the host).
     */
    public static Command containerAddresses(String containerId) {
        return of(SHORT, "docker", "inspect", "--format",
                "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{\"\\n\"}}{{end}}", containerId);
    }

    /** Prints the volume's name; exits 1 with "no such volume" when it does not exist. */
    public static Command volumeInspect(String volume) {
        return of(SHORT, "docker", "volume", "inspect", "--format", "{{.Name}}", volume)
                .answeredLocallyBy(new EngineAnswers.VolumeName(volume));
    }

    /** The container's health check command as JSON, e.g. {@code ["CMD","curl","-fSs","http://localhost:8008/health"]}. */
    public static Command healthCheckTest(String containerId) {
        return of(SHORT, "docker", "inspect", "--format", "{{json .Config.Healthcheck.Test}}", containerId);
    }

    /** Runs a program inside a running container. */
    public static Command dockerExec(String containerId, List<String> program) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", containerId));
        argv.addAll(program);
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    /**
     * Where each program is on PATH, one found a line ({@code DIR/PROGRAM}); exit 1 when one is not installed. Cheaper
     * than starting them.
     */
    public static Command locate(List<String> programs) {
        List<String> argv = new ArrayList<>(List.of("which"));
        argv.addAll(programs);
        return new Command(argv, Optional.empty(), Map.of(), SHORT).answeredLocallyBy(new LocalAnswers.Locate(programs));
    }

    public static Command aptUpdate() {
        return apt("update");
    }

    public static Command aptInstall(Collection<String> packages) {
        List<String> args = new ArrayList<>(List.of("install", "-y", "--no-install-recommends"));
        args.addAll(packages);
        return apt(args.toArray(String[]::new));
    }

    /** Finishes the configuration of packages an interrupted dpkg left unpacked. */
    public static Command dpkgConfigurePending() {
        return new Command(List.of("dpkg", "--configure", "-a"), Optional.empty(), Map.of("DEBIAN_FRONTEND", "noninteractive"),
                LONG);
    }

    private static Command apt(String... args) {
        List<String> argv = new ArrayList<>(List.of("apt-get", "-q", "-o", "DPkg::Lock::Timeout=120"));
        argv.addAll(List.of(args));
        // Non-interactive: an install from a laptop over SSH has nobody to answer debconf.
        return new Command(argv, Optional.empty(), Map.of("DEBIAN_FRONTEND", "noninteractive"), LONG);
    }

    /** Saves {@code url} to {@code file} (e.g. Docker's apt signing key where the sources entry's signed-by points). */
    public static Command download(String url, Path file) {
        return of(Duration.ofMinutes(2), "curl", "-fsSL", "--max-time", "60", "-o", file.toString(), url);
    }

    /**
     * One status line per package ({@code ii } when installed); exit 1 when dpkg has never heard of one. A fixed
     * format string, not a shell: {@code ${...}} is dpkg-query's own field syntax.
     */
    public static Command packagesStatus(Collection<String> packages) {
        List<String> argv = new ArrayList<>(List.of("dpkg-query", "-W", "-f=${db:Status-Abbrev}\\n"));
        argv.addAll(packages);
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    /** The Java runtime's version banner, on stderr ({@code openjdk version "17.0.9" ...}). */
    public static Command javaVersion(Path java) {
        return of(SHORT, java.toString(), "-version");
    }

    /**
     * Exit 0 when {@code copy} holds the bytes of {@code file}, else non-zero. {@code copy} is read as root before
     * anything checked who owns its directory: only a regular file, opened without following a link and without
     * waiting (a FIFO planted there gives no bytes at once instead of holding the run until the timeout).
     */
    public static Command sameBytes(Path file, Path copy) {
        return new Command(List.of("sh", "-c", REGULAR_FILE_ONLY + " | cmp -s -- \"$2\" -", "sh", copy.toString(), file.toString()),
                Optional.empty(), Map.of(), Duration.ofMinutes(2));
    }

    /** The file's SHA-256 as {@code HEX  PATH}: the agent's own jar, hashed where it runs. */
    public static Command sha256(Path file) {
        return of(Duration.ofMinutes(2), "sha256sum", "--", file.toString());
    }

    /**
     * The SHA-256 of the agent's copy on a host, as {@code HEX  -}: compares a large file on a remote host without
     * reading it over; read as {@link #sameBytes} reads the copy.
     */
    public static Command copySha256(Path copy) {
        return new Command(List.of("sh", "-c", REGULAR_FILE_ONLY + " | sha256sum", "sh", copy.toString()),
                Optional.empty(), Map.of(), Duration.ofMinutes(2));
    }

    /**
     * The facts of the quick check of the agent's copy ({@code steps/JarRecord}): for the copy, then its record, one
     * line of {@code stat} "RAWMODE UID GID INODE SIZE MTIME CTIME" (hex mode; the path itself, never a link's target;
     * times to the nanosecond), or "-" when it cannot be inspected; then the record's first 4 KiB, only when it is a
     * regular file, read as {@link #sameBytes} reads the copy (no link followed, no writer waited for). Exit 0: what it
     * cannot tell is a mismatch, never an error. A few processes, no matter how large the copy.
     */
    public static Command jarCopyIdentity(Path copy, Path record) {
        return new Command(List.of("sh", "-c", """
                for p do stat --printf='%f %u %g %i %s %.9Y %.9Z\\n' -- "$p" 2>/dev/null || echo -; done
                if [ -f "$2" ] && [ ! -L "$2" ]; then dd if="$2" iflag=nofollow,nonblock bs=4096 count=1 status=none 2>/dev/null; fi
                exit 0
                """, "sh", copy.toString(), record.toString()), Optional.empty(), Map.of(), SHORT)
                .answeredLocallyBy(new LocalAnswers.JarCopyIdentity(copy, record));
    }

    /** $1 on stdout: exit 2 unless a regular file; then no link followed, no writer waited for (GNU dd's flags). */
    private static final String REGULAR_FILE_ONLY = "{ [ -f \"$1\" ] && [ ! -L \"$1\" ]; } || exit 2; "
            + "dd if=\"$1\" iflag=nofollow,nonblock bs=1M status=none";

    /** An image's id and size in bytes, {@code sha256:... 123}; exit 1 with "No such image" when absent. */
    public static Command imageIdAndSize(String reference) {
        return of(SHORT, "docker", "image", "inspect", "--format", "{{.Id}} {{.Size}}", reference);
    }

    /** The image (layers, config, tag) as a tar stream on stdout: the sending half of {@code --push-images}. */
    public static Command saveImage(String reference) {
        return of(Duration.ofHours(2), "docker", "save", reference);
    }

    /** Loads an image tar stream from stdin (tags included): the receiving half of {@code --push-images}. */
    public static Command loadImage() {
        return of(Duration.ofHours(2), "docker", "load");
    }

    /**
     * Does {@code url} answer (HEAD, 2xx/3xx) within {@code limit}? Exit 0 when it does; curl's own code
     * (6 no name, 7 refused, 28 timed out, 22 HTTP error) when not. Silent: only the code matters.
     */
    public static Command probeUrl(String url, Duration limit) {
        return of(limit.plusSeconds(5), "curl", "-fsI", "-o", "/dev/null", "--max-time",
                Long.toString(limit.toSeconds()), url);
    }

    /**
     * dockerd in the background exactly as Debian's and Ubuntu's /etc/init.d/docker starts it (same pid and log
     * files, so the script's status and stop manage it later), minus the script's {@code ulimit -n 1048576},
     * which a host without CAP_SYS_RESOURCE refuses. Exits 0 when it already runs.
     */
    public static Command startDockerd(Path dockerd) {
        return of(SHORT, "start-stop-daemon", "--start", "--oknodo", "--background", "--output", "/var/log/docker.log",
                "--make-pidfile", "--pidfile", "/var/run/docker-ssd.pid", "--exec", dockerd.toString(), "--",
                "-p", "/var/run/docker.pid");
    }

    /** A service's init script, for hosts where systemd is not PID 1 (containers, sysvinit). */
    public static Command initScript(String service, String action) {
        return of(Duration.ofMinutes(2), "/etc/init.d/" + service, action);
    }

    public static Command dpkgArchitecture() {
        return of(SHORT, "dpkg", "--print-architecture");
    }

    public static Command enableService(String unit) {
        return of(Duration.ofMinutes(2), "systemctl", "enable", "--now", unit);
    }

    public static Command disableService(String unit) {
        return of(Duration.ofMinutes(2), "systemctl", "disable", "--now", unit);
    }

    /**
     * Each unit's name, unit file state and active state ({@code Id=}, {@code UnitFileState=}, {@code ActiveState=}),
     * one block a unit, blocks apart by an empty line: what {@code is-enabled} and {@code is-active} decide on, for
     * all units in one start. Fails (exit 1) where systemd does not run, as {@code is-active} does.
     */
    public static Command unitStates(List<String> units) {
        List<String> argv = new ArrayList<>(List.of("systemctl", "show", "--property=Id", "--property=UnitFileState",
                "--property=ActiveState", "--"));
        argv.addAll(units);
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    public static Command systemdReload() {
        return of(SHORT, "systemctl", "daemon-reload");
    }

    /** {@code compose -p PROJECT -f FILE ARGS...}, run in the file's directory as the seed does. */
    public static Command compose(ComposeCli cli, String project, Path file, Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(cli.prefix());
        argv.addAll(List.of("-p", project, "-f", file.toString()));
        argv.addAll(List.of(args));
        return new Command(argv, Optional.of(file.getParent()), Map.of(), timeout);
    }

    public static Command composeUp(ComposeCli cli, String project, Path file) {
        return composeUp(cli, project, file, false);
    }

    /**
     * {@code pullNever}: Compose must not pull (air-gapped hosts, {@code --pull never}): the v2 plugin is told so
     * with {@code --pull never}; v1 has no such option and pulls only images that are absent, which the images
     * step has already ruled out.
     */
    public static Command composeUp(ComposeCli cli, String project, Path file, boolean pullNever) {
        return pullNever && cli == ComposeCli.V2
                ? compose(cli, project, file, LONG, "up", "-d", "--remove-orphans", "--pull", "never")
                : compose(cli, project, file, LONG, "up", "-d", "--remove-orphans");
    }

    /** Stops and removes a project's containers and networks; volumes (data, certificates) stay. */
    public static Command composeDown(ComposeCli cli, String project, Path file) {
        return compose(cli, project, file, LONG, "down", "--remove-orphans");
    }

    /** Force-removes containers (a stack whose compose file is gone). */
    public static Command removeContainers(Collection<String> ids) {
        List<String> argv = new ArrayList<>(List.of("docker", "rm", "-f"));
        argv.addAll(ids);
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    public static Command composeRestart(ComposeCli cli, String project, Path file, Collection<String> services) {
        List<String> args = new ArrayList<>(List.of("restart"));
        args.addAll(services);
        return compose(cli, project, file, LONG, args.toArray(String[]::new));
    }

    /** Graceful reload: nginx starts new workers with the new config and certificates; open connections finish. */
    public static Command nginxReload(ComposeCli cli, String project, Path file) {
        return compose(cli, project, file, SHORT, "exec", "-T", "nginx", "nginx", "-s", "reload");
    }

    /**
     * Sends a signal to a service's main process ({@code compose kill -s}). The nginx-certbot image re-scans
     * user_conf.d and re-runs certbot on SIGHUP; {@code nginx -s reload} would not see new server blocks.
     */
    public static Command composeSignal(ComposeCli cli, String project, Path file, String signal, String service) {
        return compose(cli, project, file, SHORT, "kill", "-s", signal, service);
    }

    /** Whether a path exists inside a running container (exit 0), without a shell in between. */
    public static Command existsInContainer(String containerId, String path) {
        return of(SHORT, "docker", "exec", containerId, "test", "-e", path);
    }

    /** A container's processes as the host's ps sees them: pid (docker requires it), seconds since start, command line. */
    public static Command containerProcessAges(String containerId) {
        return of(SHORT, "docker", "top", containerId, "-eo", "pid,etimes,args");
    }

    // --- operating an installed server (start/stop/status/uninstall) ---

    /** Stops one service's container; it stays, with its volumes, for `start`. */
    public static Command composeStop(ComposeCli cli, String project, Path file, String service) {
        return compose(cli, project, file, Duration.ofMinutes(2), "stop", service);
    }

    /** Starts one service's existing (stopped) container. */
    public static Command composeStart(ComposeCli cli, String project, Path file, String service) {
        return compose(cli, project, file, Duration.ofMinutes(2), "start", service);
    }

    /** Removes a project's containers, networks and (for a purge) its named volumes. */
    public static Command composeDown(ComposeCli cli, String project, Path file, boolean volumes) {
        return volumes ? compose(cli, project, file, LONG, "down", "--remove-orphans", "--volumes")
                : composeDown(cli, project, file);
    }

    /** One tab-separated line per image: id, creation time, repo digests as JSON. */
    public static Command imageStatus(List<String> imageIds) {
        List<String> argv = new ArrayList<>(List.of("docker", "image", "inspect", "--format",
                "{{.Id}}\t{{.Created}}\t{{json .RepoDigests}}"));
        argv.addAll(imageIds);
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    /** Names of a compose project's volumes. */
    public static Command projectVolumes(String project) {
        return of(SHORT, "docker", "volume", "ls", "-q", "--filter", "label=com.docker.compose.project=" + project);
    }

    /** Where a volume's data lies on the engine's host. */
    public static Command volumeMountpoint(String volume) {
        return of(SHORT, "docker", "volume", "inspect", "--format", "{{.Mountpoint}}", volume);
    }

    /** Bytes a directory tree uses ("BYTES\tPATH"), staying on its file system. */
    public static Command diskUsage(Path path) {
        return of(Duration.ofMinutes(2), "du", "-s", "-x", "-B1", path.toString());
    }

    /** Whether the system clock is NTP-synchronised ("yes"/"no"), where systemd runs. */
    public static Command clockSynchronized() {
        return of(SHORT, "timedatectl", "show", "--property=NTPSynchronized", "--value");
    }

    /** Removes a directory tree (uninstall --purge-data), never crossing into another file system. */
    public static Command removeTree(Path path) {
        if (path.getNameCount() < 2) {
            throw new IllegalArgumentException("refusing to remove " + path);
        }
        return of(LONG, "rm", "-rf", "--one-file-system", "--", path.toString());
    }
}
