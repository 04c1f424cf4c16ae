# The file calls of a remote host (SshHost, through Commands.remoteFiles): the rules LocalHost follows with
# LocalFiles, in the one language every target has (perl-base is Essential on Debian and Ubuntu; python3 is not).
#
# A path is walked from / one component at a time: each is opened without following a link (O_NOFOLLOW) and
# entered by its descriptor (fchdir), so nothing a less-privileged user swaps mid-call (Synapse's uid owns files/)
# can send root elsewhere. A link on the way is followed only in a directory no other user can write (owned by root
# or us, not group- or world-writable: only root could have made it, e.g. /data on another volume); a link at the
# end is refused. Files are opened O_NONBLOCK and their type checked on the descriptor: a FIFO is refused at once,
# never waited on. Owner and mode change on the open descriptor (fchown, fchmod).
#
#   read LIMIT PATH...             one record per path: "0 LENGTH\n" and the bytes, or a status line
#   chown PATH UID:GID MODE        a regular file or a directory
#   mkdir PATH UID:GID MODE        missing parents root 0755; new entries flushed
#   write PATH UID:GID MODE SIZE   stdin, exactly SIZE bytes, replaces PATH atomically and durably
#   remove PATH                    a file, a link itself, or an empty directory; absent is fine
#   tofile PATH UID:GID MODE ARGV  runs ARGV with its stdout into PATH, created first with owner and mode
#
# A status: 3 (a link at the path), 4 (absent), 5 DETAIL (refused: "via LINK", "type KIND", "large"), 1 MESSAGE.
# The calls but read exit with its code and print its detail on stderr; tofile exits 125 with
# "matrix-install-remote: file CODE DETAIL" (the command wrapper's mark).
use strict;
use Fcntl;    # O_* only: the :mode tag costs more start-up than the rest of a read

my $OPEN = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
my $CREATE = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY;

sub stop { die [@_] }

sub components { grep { $_ ne '' && $_ ne '.' } split m{/}, $_[0] }

# The file type bits of st_mode: the same on every Linux architecture.
my %KINDS = (0100000 => 'file', 0040000 => 'directory', 0010000 => 'fifo', 0140000 => 'socket', 0020000 => 'char',
    0060000 => 'block');

sub kind { $KINDS{$_[0] & 0170000} // 'other' }

# Only root (or we) can have made an entry in the current directory.
sub trusted {
    my @st = stat '.';
    ($st[4] == 0 || $st[4] == $>) && !($st[2] & 022);
}

# fsync; IO::Handle is loaded only by the calls that write (it costs more than the rest of a read).
sub flush {
    my ($fh, $what) = @_;
    require IO::Handle;
    $fh->sync or stop(1, "cannot flush $what: $!");
}

sub sync_here {
    sysopen(my $d, '.', O_RDONLY) or stop(1, "cannot open the directory: $!");
    flush($d, 'the directory');
}

# Enters the directory holding PATH's last component and returns that name; undef when a directory on the way is
# missing, unless CREATE: then it is made, root 0755, and its parent flushed.
sub enter {
    my ($path, $create) = @_;
    stop(1, "not an absolute path: $path") unless $path =~ m{^/};
    my @todo = components($path);
    my $name = pop @todo;
    stop(1, "no file name in $path") if !defined $name || $name eq '..';
    chdir '/' or stop(1, "cannot enter /: $!");
    my ($at, $links, $made) = ('', 0, '');
    while (@todo) {
        my $c = shift @todo;
        my $fh;
        if (!sysopen($fh, $c, $OPEN)) {
            if ($!{ELOOP}) {
                stop(5, "via $at/$c") unless trusted();
                stop(1, "too many symbolic links on the way to $path") if ++$links > 40;
                my $to = readlink $c;
                stop(1, "cannot read the link $at/$c: $!") unless defined $to;
                if ($to =~ m{^/}) { chdir '/' or stop(1, "cannot enter /: $!"); $at = ''; }
                unshift @todo, components($to);
                next;
            }
            if ($!{ENOENT} && $create) {
                if (mkdir($c, 0755)) { $made = $c; } elsif (!$!{EEXIST}) { stop(1, "cannot create $at/$c: $!"); }
                unshift @todo, $c;
                next;
            }
            return undef if $!{ENOENT};
            stop(1, "cannot open $at/$c: $!");
        }
        stop(1, "$at/$c is not a directory") unless -d $fh;
        if ($c eq $made) {
            chmod(0755, $fh) or stop(1, "cannot create $at/$c: $!");    # exact, whatever the umask
            sync_here();
        }
        $made = '';
        chdir $fh or stop(1, "cannot enter $at/$c: $!");
        $at = $c eq '..' ? ($at =~ s{/[^/]*$}{}r) : "$at/$c";
    }
    return $name;
}

sub existing {
    my $name = enter(@_);
    stop(4) unless defined $name;
    return $name;
}

# NAME in the current directory itself, never through a link, never waiting; refused unless one of KINDS.
sub open_here {
    my ($name, @kinds) = @_;
    my $fh;
    if (!sysopen($fh, $name, $OPEN)) {
        stop(3) if $!{ELOOP};
        stop(4) if $!{ENOENT};
        stop(5, 'type socket') if $!{ENXIO};
        stop(1, "cannot open: $!");
    }
    my $kind = kind((stat $fh)[2]);
    stop(5, "type $kind") unless grep { $_ eq $kind } @kinds;
    return $fh;
}

sub owner_and_mode {
    my ($fh, $owner, $mode) = @_;
    my ($uid, $gid) = split /:/, $owner;
    chown($uid, $gid, $fh) or stop(1, "owner $owner: $!");
    chmod(oct $mode, $fh) or stop(1, "mode $mode: $!");
}

sub read_one {
    my ($limit, $path) = @_;
    my $name = existing($path);
    my $fh = open_here($name, 'file');
    stop(5, 'large') if (stat $fh)[7] > $limit;
    my $data = '';
    while (1) {
        my $n = sysread($fh, $data, 65536, length $data);
        stop(1, "cannot read: $!") unless defined $n;
        last if $n == 0;
        stop(5, 'large') if length($data) > $limit;
    }
    return $data;
}

# What a killed write left at NAME: a file or link, or its directory with the one file in it.
sub clear {
    my ($name, $parent) = @_;
    return unless lstat $name;
    if (!-d _) {
        unlink $name or stop(1, "cannot remove $name: $!");
        return;
    }
    my $dir = open_here($name, 'directory');
    chdir $dir or stop(1, "cannot enter $name: $!");
    opendir(my $list, '.') or stop(1, "cannot list $name: $!");
    for my $entry (grep { $_ ne '.' && $_ ne '..' } readdir $list) {
        unlink $entry or stop(1, "cannot remove $name/$entry: $!");
    }
    chdir $parent or stop(1, "cannot go back: $!");
    rmdir $name or stop(1, "cannot remove $name: $!");
}

# Written in a fresh root-only directory beside the target, so nobody who can write the target's directory can
# touch it; owner and mode set, flushed, renamed over the target (rename never follows a link there), the directory
# flushed. Only exactly SIZE bytes are renamed: a connection lost mid-write ends stdin early, and a cut file must
# never replace a whole one.
sub write_file {
    my ($path, $owner, $mode, $size) = @_;
    my $name = existing($path);
    stop(3) if -l $name;
    sysopen(my $parent, '.', O_RDONLY) or stop(1, "cannot open the directory: $!");
    my $w = ".$name.matrix-install.d";
    clear($w, $parent);
    unlink ".$name.matrix-install.tmp";    # what a killed local write left
    mkdir($w, 0700) or stop(1, "cannot create $w: $!");
    my $dir = open_here($w, 'directory');
    my @st = stat $dir;
    stop(1, "$w was replaced while in use") unless $st[4] == $> && ($st[2] & 07777) == 0700;
    chdir $dir or stop(1, "cannot enter $w: $!");
    sysopen(my $f, 'f', $CREATE, 0600) or stop(1, "cannot create $w/f: $!");
    owner_and_mode($f, $owner, $mode);
    binmode STDIN;
    my ($got, $buffer) = (0, '');
    while (1) {
        my $n = sysread(STDIN, $buffer, 65536);
        stop(1, "cannot read the input: $!") unless defined $n;
        last if $n == 0;
        for (my $done = 0; $done < $n;) {
            my $written = syswrite($f, $buffer, $n - $done, $done);
            stop(1, "cannot write: $!") unless defined $written;
            $done += $written;
        }
        $got += $n;
    }
    stop(1, "received $got of $size bytes: the input ended early") unless $got == $size;
    flush($f, 'the new file');
    close $f or stop(1, "cannot close: $!");
    rename('f', "../$name") or stop(1, "cannot rename: $!");    # .. of a root-only directory: the target's
    flush($parent, 'the directory');
    chdir $parent or stop(1, "cannot go back: $!");
    rmdir $w;
}

my %calls = (
    chown => sub {
        my ($path, $owner, $mode) = @_;
        owner_and_mode(open_here(existing($path), 'file', 'directory'), $owner, $mode);
    },
    mkdir => sub {
        my ($path, $owner, $mode) = @_;
        my $name = enter($path, 1);
        my $created = mkdir($name, 0700);
        stop(1, "cannot create: $!") unless $created || $!{EEXIST};
        my $fh = open_here($name, 'directory');
        sync_here() if $created;
        owner_and_mode($fh, $owner, $mode);
    },
    write => \&write_file,
    remove => sub {
        my $name = enter($_[0]);
        return if !defined $name || !lstat $name;
        (-d _ ? rmdir($name) : unlink($name)) or $!{ENOENT} or stop(1, "$!");
    },
    tofile => sub {
        my ($path, $owner, $mode, @argv) = @_;
        sysopen(my $back, '.', O_RDONLY) or stop(1, "cannot open the working directory: $!");
        my $name = existing($path);
        unlink $name or $!{ENOENT} or stop(1, "cannot replace it: $!");
        sysopen(my $f, $name, $CREATE, 0600) or stop(1, "cannot create it: $!");
        owner_and_mode($f, $owner, $mode);
        open(STDOUT, '>&', $f) or stop(1, "cannot send the output there: $!");
        chdir $back or stop(1, "cannot go back to the working directory: $!");
        exec { $argv[0] } @argv;
        print STDERR "matrix-install-remote: $argv[0]: $!\n";
        exit 127;
    },
);

sub status {
    my $e = shift;
    return @$e if ref $e eq 'ARRAY';
    (my $said = "$e") =~ s/\s+\z//;
    return (1, $said);
}

my $call = shift @ARGV;
if ($call eq 'read') {
    my $limit = shift @ARGV;
    binmode STDOUT;
    for my $path (@ARGV) {
        my $data = eval { read_one($limit, $path) };
        if (defined $data) {
            print '0 ', length($data), "\n", $data;
        } else {
            my ($code, $detail) = status($@);
            print $code, defined $detail ? " $detail" : '', "\n";
        }
    }
    exit 0;
}
die "no such call: $call\n" unless $calls{$call};
exit 0 if eval { $calls{$call}->(@ARGV); 1 };
my ($code, $detail) = status($@);
if ($call eq 'tofile') {
    print STDERR 'matrix-install-remote: file ', $code, defined $detail ? " $detail" : '', "\n";
    exit 125;
}
print STDERR "$detail\n" if defined $detail;
exit $code;
