#!/usr/bin/env bash
# Pins a freshly built image in dev with the delivery release command (tools/run release: promotion checks, the
# edited stack file planned, the plan diff), and writes the pull request's body.
#   usage: release-dev.sh <service> <image@sha256:...> <body-file>
# Exit code: tools/run release's (0 released or already running, 2 refused, 3 the edited stack does not plan).
set -uo pipefail

service="${1:?usage: release-dev.sh <service> <image> <body-file>}"
image="${2:?usage: release-dev.sh <service> <image> <body-file>}"
body="${3:?usage: release-dev.sh <service> <image> <body-file>}"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

tools/run release -- dev "$service" "$image" >"$log" 2>&1
code=$?
cat "$log"
{
  echo "Pins \`$service\` in dev to the image built and scanned from ${GITHUB_SHA:-this commit}:"
  echo
  echo "\`$image\`"
  echo
  echo "Merging deploys it to dev (\`pulumi up\`); qat, uat and prod follow with \`tools/run release\` as usual."
  echo
  echo '<details><summary>tools/run release output and plan diff</summary>'
  echo
  echo '```text'
  cat "$log"
  echo '```'
  echo
  echo '</details>'
} >"$body"
exit "$code"
