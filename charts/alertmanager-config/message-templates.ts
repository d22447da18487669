/**
 * Go text/template strings for notification titles and bodies. They are inlined in each receiver rather than
 * shipped as a .tmpl file, so the one alertmanager.yaml is the whole configuration. kube-prometheus-stack must
 * keep `alertmanager.tplConfig: false` (its default), or Helm would try to evaluate these `{{ }}` itself.
 *
 * The environment comes from the alert's `environment` label (Prometheus's external label) and falls back to
 * the environment this config was rendered for, so an alert without the label is still attributed.
 */

function env(labels: string, fallback: string): string {
  return `{{ or ${labels}.environment "${fallback}" }}`;
}

/** One line: status, firing count, environment and alert name, e.g. `[FIRING:2] prod ServiceDown`. */
export function titleTemplate(fallbackEnvironment: string): string {
  return (
    '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
    `${env('.CommonLabels', fallbackEnvironment)} {{ .CommonLabels.alertname }}`
  );
}

/** Per alert: severity, environment, where, summary, description and the runbook link. */
export function textTemplate(fallbackEnvironment: string): string {
  return [
    '{{ range .Alerts }}',
    `*{{ .Status | toUpper }}* [{{ or .Labels.severity "none" }}] ${env('.Labels', fallbackEnvironment)}`,
    '{{ with .Labels.namespace }} namespace={{ . }}{{ end }}{{ with .Labels.service }} service={{ . }}{{ end }}\n',
    'Summary: {{ or .Annotations.summary .Labels.alertname }}\n',
    '{{ with .Annotations.description }}{{ . }}\n{{ end }}',
    '{{ with .Annotations.runbook_url }}Runbook: {{ . }}\n{{ end }}',
    '{{ end }}',
  ].join('');
}

/** PagerDuty incident summary (at most 1024 characters, Alertmanager truncates). */
export function pagerDutyDescriptionTemplate(fallbackEnvironment: string): string {
  return (
    `[${env('.CommonLabels', fallbackEnvironment)}] {{ .CommonLabels.alertname }}: ` +
    '{{ (index .Alerts 0).Annotations.summary }}'
  );
}

/** PagerDuty custom details; replaces Alertmanager's defaults, so firing/resolved are listed again. */
export function pagerDutyDetails(fallbackEnvironment: string): Record<string, string> {
  return {
    environment: env('.CommonLabels', fallbackEnvironment),
    summary: '{{ (index .Alerts 0).Annotations.summary }}',
    runbook_url: '{{ (index .Alerts 0).Annotations.runbook_url }}',
    namespace: '{{ .CommonLabels.namespace }}',
    service: '{{ .CommonLabels.service }}',
    num_firing: '{{ .Alerts.Firing | len }}',
    firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
    resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
  };
}
