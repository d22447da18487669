#!/usr/bin/env bash
# The pull request's plan diff: plans every environment of the base and of the head checkout (the offline plan, no
# credentials), then writes the semantic diff of the two (tools/run diff) into <out-dir>:
#   comment.md  the PR comment: a hidden marker line (the comment job finds its earlier comment by it), then the
#               Markdown diff, or what failed
#   diff.txt    the full text diff (the artefact the comment points to when the Markdown is cut)
#   usage: plan-diff.sh <base-checkout> <head-checkout> <out-dir> [<artefact-url>]
# Exit code 1 when the head does not plan (the PR is broken); a base that does not plan is reported, not fatal.
set -uo pipefail

base="$(cd "${1:?usage: plan-diff.sh <base> <head> <out-dir> [<url>]}" && pwd)"
head="$(cd "${2:?usage: plan-diff.sh <base> <head> <out-dir> [<url>]}" && pwd)"
mkdir -p "${3:?usage: plan-diff.sh <base> <head> <out-dir> [<url>]}"
out="$(cd "$3" && pwd)"
url="${4:-}"
marker='<!-- platform-plan-diff -->'
plans="$(mktemp -d)"
trap 'rm -rf "$plans"' EXIT

{ echo "$marker"; echo; } >"$out/comment.md"

if ! (cd "$base" && tools/run plan -- --all --out "$plans/base") >"$out/plan-base.log" 2>&1; then
  echo "base does not plan; comparing against an empty base" >&2
  mkdir -p "$plans/base"
  {
    echo "> The base commit does not plan (see \`plan-base.log\` in the plan-diff artefact); every environment"
    echo "> below is compared with nothing."
    echo
  } >>"$out/comment.md"
fi

if ! (cd "$head" && tools/run plan -- --all --out "$plans/head") >"$out/plan-head.log" 2>&1; then
  {
    echo "### Plan diff: the head does not plan"
    echo
    echo '```text'
    tail -n 40 "$out/plan-head.log"
    echo '```'
  } >>"$out/comment.md"
  tail -n 40 "$out/plan-head.log" >&2
  exit 1
fi

link=()
[ -z "$url" ] || link=(--artifact-url "$url")
(cd "$head" && tools/run diff -- "$plans/base" "$plans/head" --out "$out/diff.txt") || exit 1
(cd "$head" && tools/run diff -- "$plans/base" "$plans/head" --format markdown --max-chars 60000 "${link[@]}" \
  --out "$out/diff.md") || exit 1
cat "$out/diff.md" >>"$out/comment.md"
cat "$out/diff.md" >>"${GITHUB_STEP_SUMMARY:-/dev/null}"
