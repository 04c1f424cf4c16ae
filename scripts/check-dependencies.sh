#!/usr/bin/env bash
# Lists the dependencies and Maven plugins that have a newer release on Maven Central, as the versions plugin
# sees them with the rule set in the parent pom.xml (pre-releases and the majors this project deliberately skips
# are ignored; docs/dependencies.md says which and why).
# Arguments go to Maven. Exit 0: all current. 1: something is outdated (listed). 2: the check itself could not run (Maven failed).
# Plugin releases that need a newer Maven than the one the project builds with (enforcer's requireMavenVersion)
# are listed as notes and do not count.
set -euo pipefail
cd "$(dirname "$0")/.."

log=$(mktemp /tmp/check-dependencies.XXXXXX.log)
trap 'rm -f "$log"' EXIT

# A wide line keeps each "group:artifact ... old -> new" on one line.
if ! mvn -B -ntp -Dversions.outputLineWidth=250 \
    versions:display-dependency-updates versions:display-plugin-updates "$@" >"$log" 2>&1; then
  echo "check-dependencies: Maven failed; its last lines:" >&2
  tail -n 20 "$log" >&2
  exit 2
fi

# Every module prints the managed entries it inherits: keep each line once. A section ends at its blank line.
extract() { # $1: a pattern for the section headings whose "->" lines to keep
  sed -e 's/^\[INFO\] \{0,1\}//' "$log" | awk -v heading="$1" '
    $0 ~ heading { keep = 1; next }
    /^[[:space:]]*$/ || !/^  / { keep = 0 }
    keep && / -> / { sub(/^ +/, ""); gsub(/ \.+ /, " "); print }' | sort -u
}
outdated=$(extract 'have newer versions:|plugin updates are available:')
needs_newer_maven=$(extract '^Require Maven .* to use the following plugin updates:')

if [[ -n "$needs_newer_maven" ]]; then
  echo "check-dependencies: note, these plugin releases need a newer Maven than the project's floor (not counted):"
  sed 's/^/  /' <<<"$needs_newer_maven"
fi
if [[ -n "$outdated" ]]; then
  echo "check-dependencies: $(wc -l <<<"$outdated") outdated (docs/dependencies.md: how to update):"
  sed 's/^/  /' <<<"$outdated"
  exit 1
fi
echo "check-dependencies: every dependency and plugin is on its newest release (by the rule set in pom.xml)"
