package io.matrixinstall.host;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command lines the host layer itself runs: the SSH transport's wrapper, the small fixed scripts behind
 * SshHost's file calls and lock, and the two reads every caller shares (name resolution, /etc/os-release).
 * Everything else the agent runs is built in {@code command/Commands}, which sits above this layer.
 */
public final class HostCommands {
    private static final Duration SHORT = Duration.ofSeconds(30);
    private static final Duration LONG = Duration.ofMinutes(15);

    private HostCommands() {}

    private static Command of(Duration timeout, String... argv) {
        return new Command(List.of(argv), Optional.empty(), Map.of(), timeout);
    }

    /**
     * The addresses {@code name} resolves to with the host's own resolver (its /etc/hosts, its DNS servers), one
     * "ADDRESS TYPE [NAME]" line per address and socket type; exit 2 when it does not resolve. "--" keeps a name
     * from being read as an option.
     */
    public static Command resolveName(String name) {
        return of(SHORT, "getent", "ahosts", "--", name);
    }

    /**
     * DNS questions (A, AAAA, SRV; "A,AAAA" asks both in one run) to the nameservers of the host's /etc/resolv.conf
     * ({@code scripts/dns-query.pl}, perl-base only, so a bare target answers as the local machine does): a line per
     * record, exit 3 for no such name. {@code server} and {@code port} replace resolv.conf for the tests' own DNS; the product passes neither.
     */
    static Command dnsQuery(String types, String name, String server, int port) {
        List<String> argv = new ArrayList<>(List.of("perl", "-e", DNS_QUERY, types, name));
        if (server != null) {
            argv.addAll(List.of(server, Integer.toString(port)));
        }
        return new Command(argv, Optional.empty(), Map.of(), SHORT);
    }

    private static final String DNS_QUERY = compact(resource("/scripts/dns-query.pl"));

    /**
     * Runs argv ($6..., or $7... with a file) after taking the environment from the first $2 lines of stdin (so no
     * value, secret or not, shows in a process list on the host), changing to $1 when set, checking the program
     * exists (so a missing program fails as it does locally, not as exit 127 of whatever ran), and, with $3 set,
     * handing over to the remote file script ($6) to create that file with owner $4 and mode $5 on a descriptor
     * and run the program with its stdout there. Its own failures are marked {@value #REMOTE_MARK} on stderr with
     * exit 125 (setup) or 127 (no such program).
     */
    private static final String REMOTE_WRAPPER = """
            d=$1 n=$2 f=$3 o=$4 m=$5
            shift 5
            if [ -n "$f" ]; then files=$1; shift; fi
            while [ "$n" -gt 0 ]; do IFS= read -r v || exit 125; export "$v" || exit 125; n=$((n - 1)); done
            if [ -n "$d" ]; then cd -- "$d" 2>/dev/null || { echo "matrix-install-remote: no directory $d" >&2; exit 125; }; fi
            command -v "$1" >/dev/null 2>&1 || { echo "matrix-install-remote: $1: not installed" >&2; exit 127; }
            if [ -n "$f" ]; then exec perl -e "$files" tofile "$f" "$o" "$m" "$@"; fi
            exec "$@"
            """;

    /** How the wrapper marks its own failures on stderr. */
    public static final String REMOTE_MARK = "matrix-install-remote: ";

    /**
     * The one line an SSH exec request carries for {@code command}: the wrapper above, through {@code sudo -n} when
     * the login user is not root (never asking for a password: one with a password is refused at once).
     * Its environment is not in the line: send {@link #remoteEnvironment(Command)} first on stdin.
     *
     * @param output a file on the host that receives the program's stdout, created first with {@code owner} and
     *               {@code mode}; null for none
     */
    public static String remoteLine(Command command, boolean sudo, Path output, String owner, int mode) {
        List<String> argv = new ArrayList<>();
        if (sudo) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        argv.addAll(List.of("sh", "-c", REMOTE_WRAPPER, "matrix-install",
                command.workingDirectory().map(Path::toString).orElse(""),
                Integer.toString(command.environment().size()),
                output == null ? "" : output.toString(), output == null ? "" : owner,
                output == null ? "" : String.format("%04o", mode)));
        if (output != null) {
            argv.add(REMOTE_FILES);
        }
        argv.addAll(command.argv());
        return ShellQuote.join(argv);
    }

    /** The environment lines {@link #remoteLine} reads from stdin, one {@code NAME=value} each. */
    public static byte[] remoteEnvironment(Command command) {
        StringBuilder lines = new StringBuilder();
        command.environment().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(e -> {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*") || e.getValue().contains("\n")) {
                throw new IllegalArgumentException("cannot pass environment variable " + e.getKey() + " to a remote host");
            }
            lines.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        });
        return lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A check that sudo runs without asking (a login user other than root). */
    public static Command sudoCheck() {
        return of(SHORT, "true");
    }

    /** Statuses of the remote file script (and of LocalHost's file calls): a link at the path, absent, refused. */
    public static final int REMOTE_SYMLINK = 3;
    public static final int REMOTE_ABSENT = 4;
    public static final int REMOTE_REFUSED = 5;

    /**
     * The remote file script ({@code scripts/remote-files.pl}: how it walks a path without following what another
     * user could have planted, and its statuses), without its comment lines and indentation: it travels with every
     * file call, so no copy has to be installed on the host first (perl-base is Essential on Debian and Ubuntu).
     */
    private static final String REMOTE_FILES = compact(resource("/scripts/remote-files.pl"));

    private static String resource(String name) {
        try (java.io.InputStream in = HostCommands.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String compact(String perl) {
        return perl.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
    }

    private static Command files(Duration timeout, String call, String... args) {
        List<String> argv = new ArrayList<>(List.of("perl", "-e", REMOTE_FILES, call));
        argv.addAll(List.of(args));
        return new Command(argv, Optional.empty(), Map.of(), timeout);
    }

    /**
     * One stat of every path that exists (links not followed), NUL-terminated "RAWMODE UID GID PATH" records;
     * absent paths are simply not listed; then for each link a record ">PATH" and its target as readlink prints it
     * (with a newline). One round trip for the state of every managed file, or every step of a path's links.
     * (stat never opens a file, so a FIFO cannot make it wait.)
     */
    public static Command remoteStatAll(Collection<Path> paths) {
        return Command.shell(SHORT, STAT_ALL, paths.stream().map(Path::toString).toArray(String[]::new));
    }

    private static final String STAT_ALL = """
                for p do if [ -e "$p" ] || [ -L "$p" ]; then printf '%s\\0' "$p"; fi; done \\
                  | xargs -0r stat --printf='%f %u %g %n\\0' -- || exit
                for p do if [ -L "$p" ]; then printf '>%s\\0' "$p"; readlink -- "$p" || exit; printf '\\0'; fi; done
                """;

    /**
     * {@code LinkChain}'s walk of each followed path on the host, in one round trip with the stat of every path on the
     * way and the read of the files beside where each leads ({@code Snapshot.Follow}): only {@code [ -L ]},
     * {@code [ -d ]} and {@code readlink} while walking (never a file's contents), then {@link #remoteStatAll}'s
     * script on the walked paths and {@link #remoteReadAll}'s read (no link followed, no FIFO waited on) on the
     * files beside. Arguments: per path, PATH, the number of files beside and their relative paths. Output: the
     * walked paths, then the files beside, each NUL-terminated and each list ended by an empty record; the stat's
     * answer and "=EXIT" NUL-terminated; the read's answer. No temporary file and no base64: each process started
     * costs the host more than the walk.
     */
    public static Command remoteFollow(Collection<Snapshot.Follow> follow, long limit) {
        List<String> args = new ArrayList<>(List.of(REMOTE_FILES, Long.toString(limit)));
        for (Snapshot.Follow one : follow) {
            args.add(one.path().toString());
            args.add(Integer.toString(one.beside().size()));
            one.beside().forEach(relative -> args.add(relative.toString()));
        }
        return Command.shell(SHORT, FOLLOW.replace("MAX_LINKS", Integer.toString(LinkChain.MAX_LINKS))
                .replace("STAT_ALL", STAT_ALL), args.toArray(String[]::new));
    }

    /*
     * The walk keeps where it is in $at ("" for /) and what is left to walk in $rest; the walked paths are appended to
     * "$@" (a for loop's words are fixed when it starts), the files beside to $beside, one a line (a name with a line
     * break is left to be read later, on its own).
     */
    private static final String FOLLOW = """
            files=$1 limit=$2
            shift 2
            nl='
            '
            beside=
            argc=$# want=path
            for a do
              case $want in
              path)
                want=count rest=$a at= end= links=0
                set -- "$@" /
                while :; do
                  rest=${rest#"${rest%%[!/]*}"}
                  if [ -z "$rest" ]; then end=${at:-/}; break; fi
                  name=${rest%%/*}
                  rest=${rest#"$name"}
                  case $name in .) continue ;; ..) at=${at%/*}; continue ;; esac
                  p=$at/$name
                  set -- "$@" "$p"
                  if [ -L "$p" ]; then
                    links=$((links + 1))
                    [ "$links" -le MAX_LINKS ] || break
                    t=$(readlink -- "$p" && echo x) || break
                    t=${t%?x}
                    case $t in /*) at= ;; esac
                    rest=$t/$rest
                  elif [ -d "$p" ]; then
                    at=$p
                  else
                    rest=${rest#"${rest%%[!/]*}"}
                    [ -e "$p" ] && [ -z "$rest" ] && end=$p
                    break
                  fi
                done ;;
              count)
                left=$a want=path
                [ "$left" -eq 0 ] || want=beside ;;
              beside)
                left=$((left - 1))
                [ "$left" -gt 0 ] || want=path
                [ -n "$end" ] || continue
                f=${end%/*} rest=$a
                while [ -n "$rest" ]; do
                  name=${rest%%/*}
                  rest=${rest#"$name"}
                  rest=${rest#/}
                  case $name in ''|.) ;; ..) f=${f%/*} ;; *) f=$f/$name ;; esac
                done
                case ${f:-/} in *"$nl"*) ;; *) beside=$beside${f:-/}$nl ;; esac ;;
              esac
            done
            shift "$argc"
            for p do printf '%s\\0' "$p"; done
            printf '\\0'
            set -f
            IFS=$nl
            for f in $beside; do printf '%s\\0' "$f"; done
            printf '\\0'
            unset IFS
            set +f
            ( STAT_ALL )
            printf '=%s\\0' "$?"
            IFS=$nl
            set -f
            [ -z "$beside" ] || exec perl -e "$files" read "$limit" $beside
            """;

    /**
     * Several read-only commands in one round trip ({@code SshHost.snapshot}): each argument is one command line
     * ({@link ShellQuote#join} of its argv, the quoting every remote line uses), run side by side with no input, a missing
     * program marked as {@link #remoteLine}'s wrapper marks it; for each, one line "EXIT STDOUT STDERR", the two
     * outputs in base64 (line framing no output can break). The outputs wait in a root-only temporary directory.
     */
    /**
     * How many of a snapshot's read-only commands run at once (on this machine and in {@link #remoteBatch}): the
     * engine answers several together, and a small host keeps its memory (a docker CLI takes ~30 MB while it runs).
     */
    public static final int PARALLEL_READS = 6;

    /**
     * The places of {@code commands} in the order to start them, the slow ones first so that none of them starts
     * last and keeps the others waiting: {@code ss -p} (it reads every process's descriptors), hashing and comparing
     * files (the agent's jar), scripts (the file reads, each project's containers), then the engine's quick answers,
     * then the rest. Only an order of starting: the answers keep their places.
     */
    public static List<Integer> slowFirst(List<Command> commands) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingInt(i -> switch (commands.get(i).argv().get(0)) {
            case "ss", "sha256sum", "cmp" -> 0;
            case "sh", "perl" -> 1;
            case "docker" -> 2;
            default -> 3;
        }));
        return order;
    }

    public static Command remoteBatch(List<Command> commands) {
        List<String> lines = new ArrayList<>();
        for (Command command : commands) {
            if (!command.environment().isEmpty() || command.workingDirectory().isPresent()) {
                throw new IllegalArgumentException("a batched command takes no environment and no directory: " + command);
            }
        }
        // "N:LINE", N the answer's place; started in slowFirst's order, answered in N's.
        for (int i : slowFirst(commands)) {
            lines.add((i + 1) + ":" + ShellQuote.join(commands.get(i).argv()));
        }
        // The commands only read, so they run side by side, PARALLEL_READS at a time (xargs starts the next as soon as
        // one ends), each writing its own answer line; one cat prints the lines in order. Shell built-ins wherever a
        // process would do: each process started costs the host more than the command it runs.
        return Command.shell(LONG, """
                d=$(umask 077 && mktemp -d) || exit 1
                trap 'rm -rf -- "$d"' EXIT
                count=$#
                for c do
                  printf '%s\\0' "$c"
                done | xargs -0 -r -P PARALLEL_READS -n 1 sh -c '
                  d=$1 n=${2%%:*}
                  eval "set -- ${2#*:}"
                  if command -v "$1" >/dev/null 2>&1; then
                    "$@" </dev/null >"$d/$n.o" 2>"$d/$n.e"; s=$?
                  else
                    : >"$d/$n.o"; echo "matrix-install-remote: $1: not installed" >"$d/$n.e"; s=127
                  fi
                  { printf "%s " "$s"; base64 -w0 <"$d/$n.o"; printf " "; base64 -w0 <"$d/$n.e"; echo; } >"$d/$n.l"' sh "$d"
                set --
                j=0
                while [ "$j" -lt "$count" ]; do
                  j=$((j + 1))
                  [ -s "$d/$j.l" ] || printf '125  \\n' >"$d/$j.l"
                  set -- "$@" "$d/$j.l"
                done
                [ "$count" -eq 0 ] || cat -- "$@"
                """.replace("PARALLEL_READS", Integer.toString(PARALLEL_READS)), lines.toArray(String[]::new));
    }

    /**
     * The bytes of many files in one round trip, each read as the remote file script reads (never through a link,
     * never waiting on a FIFO, at most {@code limit} bytes): one record per path, in order, "0 LENGTH" and a newline
     * then exactly the bytes, or a status line ("3", "4", "5 DETAIL", "1 MESSAGE"). Length framing: a file changing
     * size under the read cannot break it.
     */
    public static Command remoteReadAll(Collection<Path> files, long limit) {
        List<String> args = new ArrayList<>(List.of(Long.toString(limit)));
        files.forEach(file -> args.add(file.toString()));
        return files(LONG, "read", args.toArray(String[]::new));
    }

    /**
     * Replaces {@code file} with stdin, durably and atomically, like LocalHost: refused when the target is a link
     * (exit 3); the content is written in a fresh root-only directory beside the target (so nobody who can write
     * the target's directory, Synapse's uid say, can swap anything under it), given owner and mode, fsynced, renamed
     * over the target (a link or name there is replaced, never followed), and the directory fsynced. Only a file of
     * exactly {@code size} bytes is renamed: a connection lost mid-write ends stdin early, and a cut file must never
     * replace a whole one. A killed run's leftover is removed by the next write of the same file.
     */
    public static Command remoteWriteAtomically(Path file, String owner, int mode, long size) {
        return files(LONG, "write", file.toString(), owner, String.format("%04o", mode), Long.toString(size));
    }

    /** LocalHost's createDirectory: missing parents root 0755, new entries flushed, owner and mode; a link is exit 3. */
    public static Command remoteCreateDirectory(Path directory, String owner, int mode) {
        return files(SHORT, "mkdir", directory.toString(), owner, String.format("%04o", mode));
    }

    /** Owner, then mode, on the opened file or directory; a link is exit 3 and left alone. */
    public static Command remoteSetOwnerAndMode(Path path, String owner, int mode) {
        return files(SHORT, "chown", path.toString(), owner, String.format("%04o", mode));
    }

    /** A file, a link itself, or an empty directory; absent is fine. */
    public static Command remoteRemove(Path path) {
        return files(SHORT, "remove", path.toString());
    }

    /** NUL-terminated entry names of a directory; nothing when it does not exist. */
    public static Command remoteList(Path directory) {
        return Command.shell(SHORT, """
                if [ ! -d "$1" ]; then exit 0; fi
                exec find -H "$1" -mindepth 1 -maxdepth 1 -printf '%f\\0'
                """, directory.toString());
    }

    /** A fresh root-only {@code directory} under {@code root} (replacing a stale one). */
    public static Command remoteScratchDirectory(Path root, Path directory) {
        return Command.shell(SHORT, """
                umask 077
                rm -rf -- "$2" && mkdir -p -- "$1" && mkdir -- "$2" && chmod 700 -- "$1" "$2"
                """, root.toString(), directory.toString());
    }

    public static Command remoteRemoveScratchDirectory(Path root, Path directory) {
        return Command.shell(SHORT, """
                rm -rf -- "$2" || exit 1
                rmdir --ignore-fail-on-non-empty -- "$1" 2>/dev/null
                exit 0
                """, root.toString(), directory.toString());
    }

    /** /etc/os-release, a link on Debian and Ubuntu: the one read that follows. */
    public static Command remoteOsRelease() {
        return osRelease();
    }

    /** /etc/os-release read by a command, so a snapshot can take it along (it follows the link, as it must). */
    public static Command osRelease() {
        return of(SHORT, "cat", "/etc/os-release").answeredLocallyBy(new LocalAnswers.FileText(Path.of("/etc/os-release")));
    }

    /**
     * The host lock on a remote host: the same fcntl lock on the same file LocalHost takes (so a local and a remote
     * agent exclude each other; flock(1) would not: Linux keeps flock and fcntl locks apart), held by this perl
     * process (perl-base is Essential on Debian and Ubuntu) until its stdin ends: when the agent finishes, or its
     * connection dies and sshd closes the channel. Says "waiting\tHOLDER" once while it waits, "busy\tHOLDER" when
     * {@code waitSeconds} are over (exit 2), "locked\tDESCRIPTION" once held. Clears the scratch space a killed
     * holder left, like LocalHost. {@code about} follows "pid N" in the description (", up, since ...").
     */
    public static Command remoteLock(Path runDir, long waitSeconds, String about) {
        return new Command(List.of("perl", "-e", """
                use strict; use Fcntl;
                my ($dir, $wait, $about) = @ARGV;
                $| = 1;
                if (-l $dir) { print STDERR "$dir is a symbolic link\\n"; exit 3 }
                mkdir $dir, 0755 unless -d $dir;
                my $file = "$dir/lock";
                sysopen(my $fh, $file, O_RDWR | O_CREAT | O_NOFOLLOW, 0644) or do { print STDERR "cannot open $file: $!\\n"; exit 1 };
                # struct flock: l_type first, the rest zero (SEEK_SET, whole file); 32 bytes covers every Linux layout.
                my $lock = pack('s x30', F_WRLCK);
                sub holder {
                  for (1 .. 20) {
                    my $text = ''; sysseek($fh, 0, 0); sysread($fh, $text, 200);
                    my ($line) = split /\\n/, $text; $line = '' unless defined $line;
                    $line =~ s/[[:cntrl:]]//g; $line =~ s/^\\s+|\\s+$//g;
                    return $line if length $line;
                    select(undef, undef, undef, 0.05);
                  }
                  return 'a run that is just starting';
                }
                # Counted 0.2 s naps, not whole seconds of time(): never gives up before $wait seconds.
                my $naps = int($wait * 5 + 0.999);
                my $told = 0;
                until (fcntl($fh, F_SETLK, $lock)) {
                  unless ($!{EAGAIN} || $!{EACCES}) { print STDERR "cannot lock $file: $!\\n"; exit 1 }
                  my $holder = holder();
                  if ($naps-- <= 0) { print "busy\\t$holder\\n"; exit 2 }
                  print "waiting\\t$holder\\n" unless $told++;
                  select(undef, undef, undef, 0.2);
                }
                my $me = 'pid ' . $$ . $about;
                truncate($fh, 0); sysseek($fh, 0, 0); syswrite($fh, "$me\\n");
                system('rm', '-rf', '--', "$dir/scratch") == 0 or do { print STDERR "cannot clear $dir/scratch\\n"; exit 1 };
                print "locked\\t$me\\n";
                1 while sysread(STDIN, my $buffer, 4096);
                truncate($fh, 0);
                """, runDir.toString(), Long.toString(Math.max(0, waitSeconds)), about), Optional.empty(), Map.of(),
                Duration.ofDays(365));
    }
}
