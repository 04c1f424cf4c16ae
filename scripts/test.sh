#!/usr/bin/env bash
# The one test command: readies this machine (packages, Docker engine, stand-in images, Synapse venv),
# then builds the agent and runs the unit and integration tests. Safe to run again; the second run
# reuses the cached images and venv.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q openjdk-17-jdk-headless maven
fi

scripts/prepare-test-host.sh
# The bare target host of the remote-install tests (RemoteUpIT, and FederationIT's two named targets, which
# copy the same rootfs): a pristine Debian rootfs, an apt cache, dnsmasq for the harness resolver.
scripts/prepare-target-host.sh

# The engine the harness made ready (a private dockerd on a fresh machine).
set -a
. /run/matrix-install-it/env
set +a

mvn -B -ntp verify "$@"
