#!/usr/bin/env bash
# Offline checks of the shipped Prometheus rules, Alertmanager config and Grafana dashboard (run by .ci/run).
set -euo pipefail
cd "$(dirname "$0")"
promtool check rules prometheus/alerts.yml
promtool test rules prometheus/alerts.test.yml
amtool check-config alertmanager/alertmanager.yml
# The dashboard's structure against @grafana/schema's TypeScript types (no Grafana server can run here).
(cd grafana/check && npm ci --no-audit --no-fund --loglevel=error && node check.mjs)
echo "dashboards: rules, alert tests, alertmanager config and Grafana dashboard OK"
