#!/bin/bash
# The official image's entrypoint contract (README.md): arguments that start with an option run `turnserver` with
# them; every argument is shell-expanded on its own, so `--external-ip=$(detect-external-ip)` works; then exec.
set -u
if [[ ${1:-} == -* ]]; then
    set -- turnserver "$@"
fi
args=()
for arg in "$@"; do
    args+=("$(eval "printf '%s' \"$arg\"")")
done
exec "${args[@]}"
