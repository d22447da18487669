import { Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { metricOn } from './metric-on';

export const OUTBOX_PENDING_METRIC = 'outbox_pending_events';
export const OUTBOX_OLDEST_AGE_METRIC = 'outbox_oldest_pending_age_seconds';

/** The outbox relay's gauges, set from the store's stats each round. */
export interface OutboxGauges {
  readonly pending: Gauge;
  readonly oldestPendingAgeSeconds: Gauge;
}

/** `outbox_pending_events` and `outbox_oldest_pending_age_seconds` on `registry` (both 0 until a round). */
export function outboxGauges(registry: Registry): OutboxGauges {
  return {
    pending: metricOn(
      registry,
      OUTBOX_PENDING_METRIC,
      () =>
        new Gauge({
          name: OUTBOX_PENDING_METRIC,
          help: 'Outbox entries not yet published, sampled by the outbox relay each round',
          registers: [registry],
        }),
    ),
    oldestPendingAgeSeconds: metricOn(
      registry,
      OUTBOX_OLDEST_AGE_METRIC,
      () =>
        new Gauge({
          name: OUTBOX_OLDEST_AGE_METRIC,
          help: 'Age of the oldest unpublished outbox entry in seconds (0 when none is pending)',
          registers: [registry],
        }),
    ),
  };
}
