import type { DashboardsProps } from './dashboards-props';

/** Props as the dev stack would pass them: five services, two of them with SLOs. */
export const TEST_PROPS: DashboardsProps = {
  namespace: 'monitoring',
  environment: 'dev',
  services: ['user', 'product', 'order', 'notification', 'analytics'],
  appsNamespace: 'apps',
  dataNamespace: 'data',
  slos: [
    {
      service: 'order',
      namespace: 'apps',
      objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
    },
    {
      service: 'user',
      namespace: 'apps',
      objectives: { availability: 0.995, latency: { objective: 0.95, thresholdSeconds: 1 } },
    },
  ],
};
