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
export { ENVIRONMENTS, type AlertmanagerEnvironment } from './alertmanager-validation';
export {
  DEFAULT_GROUP_BY,
  DEFAULT_GROUP_INTERVAL,
  DEFAULT_GROUP_WAIT,
  DEFAULT_REPEAT_INTERVAL,
  DEFAULT_SECRETS_MOUNT_PATH,
  DEFAULT_WATCHDOG_REPEAT_INTERVAL,
  PAGING_ENVIRONMENT,
  RECEIVER,
  inhibitRules,
  renderAlertmanagerConfig,
} from './render-alertmanager-config';
