/**
 * A key of an existing Secret in the monitoring namespace. The Alertmanager pods see it at
 * `/etc/alertmanager/secrets/<name>/<key>` once `name` is listed in `alertmanager.alertmanagerSpec.secrets`
 * of kube-prometheus-stack; the rendered configuration only ever names that path, never the value.
 */
export interface AlertmanagerSecretRef {
  /** A DNS subdomain name (lowercase, at most 253 characters), as Kubernetes requires for Secrets. */
  readonly name: string;
  /** A Secret data key: 1..253 characters of [-._a-zA-Z0-9]. */
  readonly key: string;
}

/**
 * A generic webhook target. Alertmanager 0.25 has no file-backed webhook URL, so there are two forms:
 * - `url` set: the URL is not secret and the Secret holds a credential sent as
 *   `Authorization: <authorizationType> <contents>` (http_config.authorization.credentials_file; valid in
 *   0.25 and every later release).
 * - `url` omitted: the Secret holds the whole URL (`url_file`, Alertmanager >= 0.26, fixed in 0.28), for
 *   services whose token is part of the URL. Debian's amtool 0.25 rejects such a config.
 */
export interface WebhookTarget {
  readonly secret: AlertmanagerSecretRef;
  /**
   * Endpoint that receives Alertmanager's JSON payload; http(s) only, no credentials inside it.
   * @default none: the Secret holds the URL (url_file)
   */
  readonly url?: string;
  /**
   * Authorization scheme for the credential when `url` is set, e.g. 'Bearer', 'GenieKey', 'Token'.
   * @default 'Bearer'
   */
  readonly authorizationType?: string;
}

/** Where warnings, and criticals too, are posted for people to read. */
export type ChatReceiver =
  | {
      readonly kind: 'slack';
      /** Holds the Slack incoming-webhook URL (api_url_file). */
      readonly secret: AlertmanagerSecretRef;
      /**
       * Channel to post to, e.g. '#alerts-prod'. Incoming webhooks are bound to one channel already.
       * @default the webhook's own channel
       */
      readonly channel?: string;
    }
  | ({ readonly kind: 'webhook' } & WebhookTarget);

/** Who gets woken up: critical alerts only, and only in prod. */
export type PagingReceiver =
  | {
      readonly kind: 'pagerduty';
      /** Holds a PagerDuty Events API v2 integration (routing) key (routing_key_file). */
      readonly secret: AlertmanagerSecretRef;
    }
  | ({ readonly kind: 'webhook' } & WebhookTarget);

export interface AlertmanagerReceivers {
  /** @default none: alerts that would go to chat go to the 'null' receiver */
  readonly chat?: ChatReceiver;
  /** Required in prod, refused elsewhere. @default none */
  readonly paging?: PagingReceiver;
}

/** The dead-man's switch: the always-firing Watchdog alert is sent to an external heartbeat service. */
export interface WatchdogReceiver extends WebhookTarget {
  /**
   * How often the heartbeat is sent; the heartbeat service must alarm after missing a few of them.
   * @default '1m'
   */
  readonly repeatInterval?: string;
}

export interface AlertmanagerGrouping {
  /** @default ['alertname', 'namespace', 'service'] */
  readonly groupBy?: readonly string[];
  /** How long a new group waits for more alerts before the first notification. @default '30s' */
  readonly groupWait?: string;
  /** How long before a group that changed is notified again. @default '5m' */
  readonly groupInterval?: string;
  /** How long before an unchanged, still firing group is notified again. @default '4h' */
  readonly repeatInterval?: string;
}

export interface AlertmanagerConfigProps {
  /** 'dev', 'qat', 'uat' or 'prod'; names the environment in errors and is the templates' fallback. */
  readonly environment: string;
  readonly receivers: AlertmanagerReceivers;
  /** @default none: the Watchdog alert goes to the 'null' receiver */
  readonly watchdog?: WatchdogReceiver;
  /** @default see AlertmanagerGrouping */
  readonly grouping?: AlertmanagerGrouping;
  /**
   * How long an alert that stops being updated stays firing (global.resolve_timeout).
   * @default '5m'
   */
  readonly resolveTimeout?: string;
  /**
   * Directory kube-prometheus-stack mounts the Secrets under (one sub-directory per Secret).
   * @default '/etc/alertmanager/secrets'
   */
  readonly secretsMountPath?: string;
  /**
   * Prefix of every error message, the path of these props in the caller's configuration.
   * @default 'monitoring'
   */
  readonly context?: string;
}

/** The alertmanager.yaml document plus what the caller must mount for it. */
export interface RenderedAlertmanagerConfig {
  /** For kube-prometheus-stack `alertmanager.config` (keep `alertmanager.tplConfig` false). */
  readonly config: Record<string, unknown>;
  /** The same document as YAML. */
  readonly yaml: string;
  /** Sorted, unique: the list for `alertmanager.alertmanagerSpec.secrets`. */
  readonly secretNames: string[];
}
