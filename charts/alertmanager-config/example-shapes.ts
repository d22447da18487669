import type { AlertmanagerConfigProps } from './alertmanager-config-props';

/**
 * The per-environment shapes the tests check with amtool and the README describes: dev without receivers,
 * qat/uat with chat and a heartbeat, prod with chat, paging and a heartbeat. Secret names are examples.
 */
export const EXAMPLE_SHAPES: Readonly<Record<'dev' | 'qat' | 'uat' | 'prod', AlertmanagerConfigProps>> = {
  dev: { environment: 'dev', receivers: {} },
  qat: {
    environment: 'qat',
    receivers: {
      chat: {
        kind: 'webhook',
        url: 'https://chat-bridge.qat.platform.internal/alertmanager',
        secret: { name: 'alertmanager-chat', key: 'token' },
      },
    },
    watchdog: {
      url: 'https://heartbeat.example.com/api/v1/ping/qat',
      secret: { name: 'alertmanager-heartbeat', key: 'token' },
    },
  },
  uat: {
    environment: 'uat',
    receivers: {
      chat: {
        kind: 'slack',
        secret: { name: 'alertmanager-slack', key: 'webhook-url' },
        channel: '#alerts-uat',
      },
    },
    watchdog: {
      url: 'https://api.opsgenie.com/v2/heartbeats/platform-uat/ping',
      authorizationType: 'GenieKey',
      secret: { name: 'alertmanager-heartbeat', key: 'api-key' },
    },
  },
  prod: {
    environment: 'prod',
    receivers: {
      chat: {
        kind: 'slack',
        secret: { name: 'alertmanager-slack', key: 'webhook-url' },
        channel: '#alerts-prod',
      },
      paging: { kind: 'pagerduty', secret: { name: 'alertmanager-pagerduty', key: 'routing-key' } },
    },
    watchdog: {
      url: 'https://api.opsgenie.com/v2/heartbeats/platform-prod/ping',
      authorizationType: 'GenieKey',
      secret: { name: 'alertmanager-heartbeat', key: 'api-key' },
    },
  },
};
