#!/usr/bin/env bash
# Decides whether a job may talk to a stack's backend and cloud: reads the tier (and the AWS region on EKS) from
# Pulumi.<stack>.yaml and checks that the credentials the job needs are configured. Writes to $GITHUB_OUTPUT:
#   tier=onprem|eks  region=<aws region or empty>  ready=true|false
# Without credentials (a fork, a repository not set up yet) ready=false and the cloud steps are skipped, so the
# workflow stays green; the job summary says what is missing.
# In the deploy chain, PREVIOUS_STAGE names the stage before and PREVIOUS_HEALTHY is its health check's verdict: a
# configured stage whose predecessor did not deploy and pass its health check fails instead of skipping ahead.
#   usage: stack-gate.sh <stack>     env: PULUMI_ACCESS_TOKEN, AWS_ROLE_ARN (EKS stacks only),
#                                         PREVIOUS_STAGE and PREVIOUS_HEALTHY (deploys after the first)
set -euo pipefail

stack="${1:?usage: stack-gate.sh <stack>}"
file="Pulumi.$stack.yaml"
[ -f "$file" ] || { echo "stack-gate: $file not found (stacks: dev, qat, uat, prod)" >&2; exit 2; }

tier="$(yq -r '.config["platform:tier"] // ""' "$file")"
region="$(yq -r '.config["platform:cluster"].region // ""' "$file")"
case "$tier" in
  onprem | eks) ;;
  *) echo "stack-gate: $file platform:tier is \"$tier\"; expected onprem or eks" >&2; exit 2 ;;
esac

missing=()
[ -n "${PULUMI_ACCESS_TOKEN:-}" ] || missing+=("secret PULUMI_ACCESS_TOKEN")
if [ "$tier" = eks ]; then
  [ -n "${AWS_ROLE_ARN:-}" ] || missing+=("secret AWS_ROLE_ARN (the role this job assumes through OIDC)")
  [ -n "$region" ] || missing+=("platform:cluster.region in $file")
fi

ready=true
if [ ${#missing[@]} -gt 0 ]; then
  ready=false
  {
    echo "### $stack: Pulumi steps skipped"
    echo
    echo "Not configured: ${missing[*]}. See the workflows section of the README for what to set."
  } >>"${GITHUB_STEP_SUMMARY:-/dev/stderr}"
fi

if [ "$ready" = true ] && [ -n "${PREVIOUS_STAGE:-}" ] && [ "${PREVIOUS_HEALTHY:-}" != true ]; then
  echo "::error title=$stack not deployed::$PREVIOUS_STAGE was not deployed and found healthy in this run, so $stack is not deployed either (configure $PREVIOUS_STAGE's credentials, or re-run after fixing it)" >&2
  exit 1
fi

{
  echo "tier=$tier"
  echo "region=$region"
  echo "ready=$ready"
} >>"${GITHUB_OUTPUT:-/dev/stdout}"
