import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';
import { metricOn } from './metric-on';

export const DEAD_LETTERS_METRIC = 'events_dead_lettered_total';

/** `events_dead_lettered_total{topic}` on `registry`, `topic` being the dead-letter topic written to. */
export function deadLetterCounter(registry: Registry): Counter<'topic'> {
  return metricOn(
    registry,
    DEAD_LETTERS_METRIC,
    () =>
      new Counter({
        name: DEAD_LETTERS_METRIC,
        help: 'Events a consumer of this service gave up on and wrote to a dead-letter topic',
        labelNames: ['topic'],
        registers: [registry],
      }),
  );
}

/**
 * What a consumer calls after writing an event to `deadLetterTopic`; the series starts at 0 when the
 * consumer is set up. Without a registry nothing is counted.
 */
export function deadLetterRecorder(registry: Registry | undefined, deadLetterTopic: string): () => void {
  if (registry === undefined) return () => undefined;
  const counter = deadLetterCounter(registry);
  counter.inc({ topic: deadLetterTopic }, 0);
  return () => counter.inc({ topic: deadLetterTopic });
}
