# coturn for ${domain}. Managed by matrix-install: `matrix-install up` rewrites this file.
# Holds the secret shared with Synapse: root 0600. turnserver reads it (and the TLS key) as root at start, then runs
# as nobody (proc-user), so no file it needs stays readable by that user.
listening-port=${turn.port?c}
<#if turn.tls>
tls-listening-port=${turn.tls_port?c}
cert=/etc/coturn/tls/fullchain.pem
pkey=/etc/coturn/tls/privkey.pem
<#else>
# No certificate this TLS mode lets the agent hand over: no TURN over TLS.
no-tls
</#if>
# Calls use UDP or TCP/TLS to the listener; DTLS is not offered.
no-dtls
min-port=${turn.relay_min_port?c}
max-port=${turn.relay_max_port?c}
external-ip=${turn.external_ip}
realm=${server_name}
server-name=${domain}

# Synapse's TURN REST credentials: user "<expiry>:<user id>", password HMAC-SHA1(secret, user).
use-auth-secret
static-auth-secret=${turn.secret}
fingerprint
stale-nonce=600
user-quota=12
total-quota=1200

# Not an open relay: no peers on this host, in private networks (RFC 1918: every Docker network of this host too),
# in link-local, shared (CGNAT), documentation, benchmarking or reserved ranges, nor multicast. See docs/turn.md.
no-multicast-peers
no-tcp-relay
denied-peer-ip=0.0.0.0-0.255.255.255
denied-peer-ip=10.0.0.0-10.255.255.255
denied-peer-ip=100.64.0.0-100.127.255.255
denied-peer-ip=127.0.0.0-127.255.255.255
denied-peer-ip=169.254.0.0-169.254.255.255
denied-peer-ip=172.16.0.0-172.31.255.255
denied-peer-ip=192.0.0.0-192.0.0.255
denied-peer-ip=192.0.2.0-192.0.2.255
denied-peer-ip=192.88.99.0-192.88.99.255
denied-peer-ip=192.168.0.0-192.168.255.255
denied-peer-ip=198.18.0.0-198.19.255.255
denied-peer-ip=198.51.100.0-198.51.100.255
denied-peer-ip=203.0.113.0-203.0.113.255
denied-peer-ip=240.0.0.0-255.255.255.255
denied-peer-ip=::1
denied-peer-ip=::ffff:0.0.0.0-::ffff:255.255.255.255
denied-peer-ip=64:ff9b::-64:ff9b::ffff:ffff
denied-peer-ip=100::-100::ffff:ffff:ffff:ffff
denied-peer-ip=2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff
denied-peer-ip=2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff
denied-peer-ip=fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff
denied-peer-ip=fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff

# No admin interfaces, no version in answers; logs to the container's output.
no-cli
no-software-attribute
proc-user=nobody
proc-group=nogroup
log-file=stdout
simple-log
