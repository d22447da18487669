#!/usr/bin/env bash
# Builds the runtime artefact of one service into an empty directory: exactly what its image copies.
#
#   services/image/stage-artefact.sh <service> <outdir>      e.g. stage-artefact.sh product /artefact
#
# Needs the repository with its dependencies installed (npm ci). The artefact holds
#   services/common/{package.json,dist/}      @platform/common, compiled JavaScript only
#   services/<service>/{package.json,dist/}   the service, compiled JavaScript only
#   node_modules/                             the production dependencies of both, nothing else
#   services/*/node_modules/                  those npm nested under a workspace (version conflicts)
# and runs with `node services/<service>/dist/main.js` from <outdir>. The repository is only read: the
# compiler writes into a scratch directory, never into services/*/dist.
set -euo pipefail

fail() {
  printf 'stage-artefact: %s\n' "$*" >&2
  exit 1
}

[ "$#" -eq 2 ] || fail "usage: stage-artefact.sh <service> <outdir> (got $# arguments)"
service=$1
out=$2
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

available="$(for f in services/*/package.json; do d=${f%/package.json}; d=${d#services/}; [ "$d" = common ] || printf '%s ' "$d"; done)"
[[ $service =~ ^[a-z][a-z0-9-]{0,62}$ ]] ||
  fail "service must be a lowercase name of a-z, 0-9 and \"-\" (got \"$service\"); one of: $available"
[ "$service" != common ] || fail "service must be a service, not the shared library (one of: $available)"
[ -f "services/$service/package.json" ] ||
  fail "service \"$service\" does not exist: no services/$service/package.json (one of: $available)"
[ -f "services/$service/src/main.ts" ] || fail "services/$service/src/main.ts is missing: the image runs dist/main.js"
[ -n "$out" ] || fail 'outdir must not be empty'
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then fail "outdir $out must be empty or not exist yet"; fi
[ -x node_modules/.bin/tsc ] || fail 'node_modules/.bin/tsc is missing: run npm ci first'

package="$(node -p 'require(process.argv[1]).name' "$root/services/$service/package.json")"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/stage-artefact.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT

# 1. Compile @platform/common and the service in one program. The service's own tsconfig.build.json
# decides what is compiled (tests and contract suites are excluded there); @platform/common is mapped to
# its sources, so the service is checked against the very code it ships with. Declarations and source
# maps stay out: the artefact carries JavaScript only.
node -e '
  const [root, service, scratch] = process.argv.slice(1);
  const config = {
    extends: `${root}/services/${service}/tsconfig.build.json`,
    compilerOptions: {
      rootDir: `${root}/services`,
      outDir: `${scratch}/js`,
      baseUrl: root,
      paths: { "@platform/common": ["services/common/src/index.ts"] },
      typeRoots: [`${root}/node_modules/@types`],
      declaration: false,
      sourceMap: false,
      incremental: false,
      noEmitOnError: true,
    },
  };
  require("node:fs").writeFileSync(`${scratch}/tsconfig.json`, JSON.stringify(config, null, 2));
' "$root" "$service" "$scratch"
node_modules/.bin/tsc -p "$scratch/tsconfig.json" || fail "TypeScript errors in services/common or services/$service (above)"

for workspace in common "$service"; do
  [ -d "$scratch/js/$workspace/src" ] || fail "the compiler emitted nothing for services/$workspace"
  mkdir -p "$out/services/$workspace/dist"
  cp -R "$scratch/js/$workspace/src/." "$out/services/$workspace/dist/"
  cp "services/$workspace/package.json" "$out/services/$workspace/"
done
[ -f "$out/services/$service/dist/main.js" ] || fail "services/$service/dist/main.js was not emitted"

# 2. Production dependencies: npm's own view of what @platform/common and the service need at run time
# (dependencies and optional dependencies, transitively, as installed), so nothing is resolved twice and
# no registry is contacted. Each package is copied without its nested node_modules: nested packages that
# belong to the closure are listed (and copied) on their own.
listing="$(npm ls --omit=dev --all --parseable --workspace @platform/common --workspace "$package" 2>/dev/null)" ||
  fail "npm ls found missing or invalid dependencies: run npm ci (package-lock.json must list $package)"
count=0
while IFS= read -r path; do
  rel="${path#"$root"/}"
  case "$rel" in
    # Hoisted packages, and those npm had to nest under a workspace (another version sits at the root).
    node_modules/* | services/common/node_modules/* | "services/$service"/node_modules/*) ;;
    *) continue ;; # the root project itself
  esac
  mkdir -p "$out/$(dirname "$rel")"
  if [ -L "$rel" ]; then
    # A workspace link (node_modules/@platform/common -> ../../services/common): relative, so it stays valid.
    target="$(readlink "$rel")"
    case "$target" in
      ../../services/common | "../../services/$service") cp -P "$rel" "$out/$rel" ;;
      *) fail "$rel links to $target, which is not part of the artefact" ;;
    esac
    continue
  fi
  mkdir -p "$out/$rel"
  find "$rel" -mindepth 1 -maxdepth 1 ! -name node_modules -exec cp -R -t "$out/$rel/" {} +
  count=$((count + 1))
done <<<"$listing"

size="$(du -sh "$out" | cut -f1)"
printf 'stage-artefact: %s -> %s (%s production packages, %s)\n' "$package" "$out" "$count" "$size"
