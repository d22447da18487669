#!/usr/bin/env bash
# Is a stack healthy after `pulumi up`? The gate before the next environment's deploy. It checks, in the cluster:
#   - every Deployment and StatefulSet in the apps namespace finished its rollout (kubectl rollout status);
#   - every Argo Rollout in apps reached phase Healthy (a canary that aborts is Degraded and fails at once; a
#     blue-green waiting for manual promotion stays Paused and fails at the deadline: promote it, then re-run);
#   - every StatefulSet in the data namespace (MongoDB, Kafka, Redis) has all its replicas ready.
# Writes healthy=true to $GITHUB_OUTPUT at the end; the next stage's gate requires it.
#   usage: health-check.sh <stack> <tier> [<aws-region>]    env: HEALTH_TIMEOUT seconds (default 900)
# Cluster access: EKS through the job's AWS role (aws eks update-kubeconfig, cluster platform-<stack>); on prem the
# stack's secret config platform:kubeconfig (pulumi config get), else the runner's kubeconfig with the context
# named in platform:cluster.context.
set -euo pipefail

stack="${1:?usage: health-check.sh <stack> <tier> [<aws-region>]}"
tier="${2:?usage: health-check.sh <stack> <tier> [<aws-region>]}"
region="${3:-}"
timeout="${HEALTH_TIMEOUT:-900}"
deadline=$((SECONDS + timeout))

scratch="$(mktemp)"
trap 'rm -f "$scratch"' EXIT
kubeconfig="$scratch"
context=()
if [ "$tier" = eks ]; then
  aws eks update-kubeconfig --name "platform-$stack" --region "$region" --kubeconfig "$kubeconfig" >/dev/null
elif pulumi config get platform:kubeconfig --stack "$stack" >"$kubeconfig" 2>/dev/null; then
  :
else
  kubeconfig="${KUBECONFIG:-$HOME/.kube/config}"
  name="$(yq -r '.config["platform:cluster"].context // ""' "Pulumi.$stack.yaml")"
  [ -z "$name" ] || context=(--context "$name")
fi
k() { kubectl --kubeconfig "$kubeconfig" "${context[@]}" "$@"; }
left() { local s=$((deadline - SECONDS)); [ "$s" -gt 0 ] && echo "$s" || echo 1; }
fail() { echo "::error title=$stack is not healthy::$*" >&2; exit 1; }

for workload in $(k -n apps get deployments,statefulsets -o name); do
  k -n apps rollout status "$workload" --timeout="$(left)s" || fail "apps/$workload did not finish its rollout"
done

for rollout in $(k -n apps get rollouts.argoproj.io -o name); do
  while :; do
    phase="$(k -n apps get "$rollout" -o jsonpath='{.status.phase}')"
    case "$phase" in
      Healthy) echo "apps/$rollout: Healthy"; break ;;
      Degraded) fail "apps/$rollout is Degraded: $(k -n apps get "$rollout" -o jsonpath='{.status.message}')" ;;
    esac
    [ "$SECONDS" -lt "$deadline" ] || fail "apps/$rollout is still ${phase:-without a phase} after ${timeout}s (Paused: promote it with kubectl argo rollouts promote, then re-run this job)"
    sleep 10
  done
done

for set in $(k -n data get statefulsets -o name); do
  while :; do
    want="$(k -n data get "$set" -o jsonpath='{.spec.replicas}')"
    ready="$(k -n data get "$set" -o jsonpath='{.status.readyReplicas}')"
    [ "${ready:-0}" != "$want" ] || { echo "data/$set: $ready/$want ready"; break; }
    [ "$SECONDS" -lt "$deadline" ] || fail "data/$set has ${ready:-0}/$want replicas ready after ${timeout}s"
    sleep 10
  done
done

echo "$stack is healthy" >>"${GITHUB_STEP_SUMMARY:-/dev/stdout}"
echo "healthy=true" >>"${GITHUB_OUTPUT:-/dev/stdout}"
