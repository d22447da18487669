export type {
  AlertmanagerConfigProps,
  AlertmanagerGrouping,
  AlertmanagerReceivers,
  AlertmanagerSecretRef,
  ChatReceiver,
  PagingReceiver,
  RenderedAlertmanagerConfig,
  WatchdogReceiver,
  WebhookTarget,
} from './alertmanager-config-props';
export {
  DEFAULT_GROUP_BY,
  DEFAULT_GROUP_INTERVAL,
  DEFAULT_GROUP_WAIT,
  DEFAULT_REPEAT_INTERVAL,
  DEFAULT_SECRETS_MOUNT_PATH,
  DEFAULT_WATCHDOG_REPEAT_INTERVAL,
  RECEIVER,
  inhibitRules,
  renderAlertmanagerConfig,
} from './render-alertmanager-config';
