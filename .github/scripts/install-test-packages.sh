#!/usr/bin/env bash
# The Debian packages `tools/run test` needs (real redis-server/sentinel, promtool, Prometheus, amtool), installed
# with sudo on a GitHub-hosted runner: tools/run installs them itself only when it runs as root. Debian starts the
# packaged services on install; the tests start their own processes, so the packaged ones are stopped.
set -euo pipefail

packages=(redis-server redis-sentinel prometheus prometheus-alertmanager)
sudo apt-get update -qq
sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}"
for unit in redis-server redis-sentinel prometheus prometheus-alertmanager; do
  if systemctl list-unit-files "$unit.service" >/dev/null 2>&1; then
    sudo systemctl stop "$unit.service" || echo "could not stop $unit.service; the tests use their own ports" >&2
  fi
done
