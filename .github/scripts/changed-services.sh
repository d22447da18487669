#!/usr/bin/env bash
# Which services' images a change needs rebuilt, as a JSON array for a job matrix.
#   usage: changed-services.sh <base-sha> <head-sha>     (an empty or all-zero base means: every service)
# A service is a folder services/<name>/ with a package.json, except the shared library services/common. A change
# to what every image is built from (the Dockerfile and its ignore file, services/common, services/image, the root
# package files and tsconfig.json) rebuilds every service; a change under services/<name>/ rebuilds that one.
# Writes services=<json> and any=true|false to $GITHUB_OUTPUT (stdout without it).
set -euo pipefail

base="${1:-}"
head="${2:?usage: changed-services.sh <base-sha> <head-sha>}"

all=()
for manifest in services/*/package.json; do
  name="$(basename "$(dirname "$manifest")")"
  [ "$name" = common ] || all+=("$name")
done

selected=()
if [ -z "$base" ] || [ "$base" = 0000000000000000000000000000000000000000 ]; then
  selected=("${all[@]}")
else
  changed="$(git diff --name-only "$base" "$head")"
  if grep -Eq '^(services/Dockerfile|services/Dockerfile\.dockerignore|services/common/|services/image/|package\.json$|package-lock\.json$|tsconfig\.json$)' <<<"$changed"; then
    selected=("${all[@]}")
  else
    for name in "${all[@]}"; do
      if grep -q "^services/$name/" <<<"$changed"; then selected+=("$name"); fi
    done
  fi
fi

json="[]"
if [ ${#selected[@]} -gt 0 ]; then
  json="$(printf '%s\n' "${selected[@]}" | jq -R . | jq -cs .)"
fi
any=false
[ ${#selected[@]} -eq 0 ] || any=true
{
  echo "services=$json"
  echo "any=$any"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
echo "services to build: $json" >&2
