# One DNS question asked the way the host's own programs ask it: to the nameservers in the host's /etc/resolv.conf,
# in their order, over UDP (a remote homeserver asks its DNS the same, never this host's /etc/hosts). Written for
# perl-base (Essential on Debian and Ubuntu; a bare server has no dig, no python3), so local and SSH hosts run the
# same script (HostCommands.dnsQuery).
#
#   TYPES NAME [SERVER PORT]   TYPES: A, AAAA or SRV, or several joined by commas ("A,AAAA": one run, one question
#                              each); SERVER PORT replace resolv.conf (the tests' own DNS only)
#
# Prints one line per answer of TYPE (a CNAME chain the recursive server followed is skipped):
#   A ADDRESS | AAAA ADDRESS | SRV PRIORITY WEIGHT PORT TARGET
# Exit 0 answered (no line: the name has no such record), 3 no such name (NXDOMAIN), 1 MESSAGE on stderr otherwise.
use strict;
use Socket qw(AF_INET SOCK_DGRAM inet_aton inet_ntoa pack_sockaddr_in inet_ntop AF_INET6);

my %TYPES = (A => 1, AAAA => 28, SRV => 33);
my ($types, $name, $server, $port) = @ARGV;
sub fail { print STDERR "$_[0]\n"; exit 1 }
my @types = split /,/, $types // '';
fail("usage: TYPES NAME [SERVER PORT]") unless defined $name && @types && !grep { !$TYPES{$_} } @types;
$name =~ s/\.$//;
fail("not a DNS name: $name") unless $name =~ /^[A-Za-z0-9_.-]+$/ && length $name <= 253;

my @servers;
if (defined $server) {
    @servers = ($server);
} else {
    open(my $conf, '<', '/etc/resolv.conf') or fail("cannot read /etc/resolv.conf: $!");
    while (<$conf>) { push @servers, $1 if /^\s*nameserver\s+(\d+\.\d+\.\d+\.\d+)\s*$/ }
    @servers = ('127.0.0.1') unless @servers;    # what the C library assumes without a nameserver line
    $port = 53;
}


# A name in the message at OFFSET (labels and compression pointers); returns it and the offset after it.
sub read_name {
    my ($msg, $offset) = @_;
    my ($out, $after, $jumps) = ('', undef, 0);
    while (1) {
        fail('malformed answer') if $offset >= length $msg || $jumps > 64;
        my $len = ord substr($msg, $offset, 1);
        if (($len & 0xC0) == 0xC0) {
            $after //= $offset + 2;
            $offset = unpack('n', substr($msg, $offset, 2)) & 0x3FFF;
            $jumps++;
            next;
        }
        if ($len == 0) { $after //= $offset + 1; last }
        $out .= substr($msg, $offset + 1, $len) . '.';
        $offset += $len + 1;
    }
    $out =~ s/\.$//;
    return ($out, $after);
}

# Asks TYPE of NAME; prints the answers, returns the response code (0 answered, 3 no such name).
sub ask {
    my ($type) = @_;
    my $id = int(rand(65536));
    my $question = join('', map { chr(length $_) . $_ } split /\./, $name) . "\0" . pack('nn', $TYPES{$type}, 1);
    my $query = pack('nnnnnn', $id, 0x0100, 1, 0, 0, 0) . $question;
    my $last = 'no nameserver answered';
    for my $try (1 .. 2) {
        for my $ns (@servers) {
            my $address = inet_aton($ns) or next;
            socket(my $sock, AF_INET, SOCK_DGRAM, 0) or fail("cannot open a socket: $!");
            defined send($sock, $query, 0, pack_sockaddr_in($port, $address)) or do { $last = "cannot ask $ns: $!"; next };
            my $bits = '';
            vec($bits, fileno($sock), 1) = 1;
            unless (select(my $ready = $bits, undef, undef, 2)) { $last = "$ns:$port did not answer"; next }
            defined recv($sock, my $msg, 4096, 0) or do { $last = "$ns:$port: $!"; next };
            next if length $msg < 12;
            my ($rid, $flags, $qd, $an) = unpack('nnnn', $msg);
            next if $rid != $id || !($flags & 0x8000);
            fail("the answer from $ns was truncated") if $flags & 0x0200;
            my $rcode = $flags & 0xF;
            return 3 if $rcode == 3;
            if ($rcode != 0) { $last = "$ns answered rcode $rcode"; next }
            my $offset = 12;
            for (1 .. $qd) { (undef, $offset) = read_name($msg, $offset); $offset += 4 }
            for (1 .. $an) {
                (undef, $offset) = read_name($msg, $offset);
                my ($rtype, $class, $ttl, $length) = unpack('nnNn', substr($msg, $offset, 10));
                $offset += 10;
                my $data = substr($msg, $offset, $length);
                if ($rtype == $TYPES{$type}) {
                    if ($type eq 'A') {
                        print "A ", inet_ntoa($data), "\n";
                    } elsif ($type eq 'AAAA') {
                        print "AAAA ", inet_ntop(AF_INET6, $data), "\n";
                    } else {
                        my ($priority, $weight, $target_port) = unpack('nnn', $data);
                        my ($target) = read_name($msg, $offset + 6);
                        print "SRV $priority $weight $target_port $target\n";
                    }
                }
                $offset += $length;
            }
            return 0;
        }
    }
    fail($last);
}

# No such name is the name's, whatever the type: the next question would say the same.
for my $type (@types) {
    exit 3 if ask($type) == 3;
}
exit 0;
