#!/bin/sh
# Runs inside the freshly debootstrapped base (chroot) before it is packed as a tarball.
# Makes the rootfs behave like a slim container base: full apt sources, no recommends,
# no docs/man pages/translations, no caches, no host identity.
set -eu

mirror="$1"
security_mirror="$2"
suite="$3"

cat > /etc/apt/sources.list <<SOURCES
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security_mirror $suite-security main
SOURCES

cat > /etc/apt/apt.conf.d/90matrix-install-it <<'APT'
APT::Install-Recommends "false";
APT::Install-Suggests "false";
Acquire::Languages "none";
APT::Get::Assume-Yes "true";
Dpkg::Use-Pty "false";
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT

# Keep images small: packages installed later skip docs, man pages and translations.
cat > /etc/dpkg/dpkg.cfg.d/90matrix-install-it <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/lintian/*
DPKG

# Services must never start inside an image build.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
chmod 755 /usr/sbin/policy-rc.d

# No host identity or build leftovers in the image.
: > /etc/machine-id
rm -f /etc/hostname /etc/resolv.conf /var/lib/dbus/machine-id
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/apt/archives/*.deb /var/cache/debconf/*-old /tmp/* \
       /usr/share/man/* /usr/share/info/* /usr/share/locale/*
find /var/log -type f -delete
find /usr/share/doc -type f ! -name copyright -delete
find /usr/share/doc -depth -type d -empty -delete
