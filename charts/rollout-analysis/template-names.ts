/** The Prometheus analysis of a service's SLO (arg `track`): canary background, blue-green post-promotion. */
export function sloTemplateName(service: string): string {
  return `${service}-slo`;
}

/** The web checks of a blue-green preview before promotion. */
export function smokeTemplateName(service: string): string {
  return `${service}-smoke`;
}
