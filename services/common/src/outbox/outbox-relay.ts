import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { sleep } from '../abortable';
import type { EventEnvelope, EventPublisher, OutboxStore } from '../ports';
import { outboxGauges } from '../store-metrics/outbox-metrics';
import { contextFromHeaders, withPublishSpan } from '../tracing/message-trace';

/** What the relay reads from and writes to, and how often. */
export interface OutboxRelayOptions {
  readonly store: OutboxStore;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  /** Pause between polls while the outbox is empty (default 1000 ms). */
  readonly intervalMs?: number;
  /** Entries read per round (default 100); a full batch is followed by the next round at once. */
  readonly batchSize?: number;
  /** Longest pause after failed rounds (default 30 s); pauses double from intervalMs per failure. */
  readonly maxBackoffMs?: number;
  /**
   * The service's registry: after every round the relay sets `outbox_pending_events` and
   * `outbox_oldest_pending_age_seconds` there from `store.stats()`. Without one nothing is sampled.
   */
  readonly registry?: Registry;
  /** The clock the backlog's age is measured by (ms since the epoch); tests move it. */
  readonly now?: () => number;
}

/** A running relay. */
export interface OutboxRelay {
  /** Stops polling and resolves once the round in progress has finished; idempotent. */
  stop(): Promise<void>;
}

type RoundOutcome = 'idle' | 'more' | 'failed';
type PendingEntry = Awaited<ReturnType<OutboxStore['pending']>>[number];

/**
 * Publishes outbox entries, oldest first: each round reads up to `batchSize` pending entries, publishes
 * them per topic in their order (each run of entries written in one trace context inside a `publish <topic>`
 * span of that context), and marks a topic's entries published only after the publisher
 * acknowledged them. When publishing fails (Kafka down) the entries stay pending, the failure is logged and
 * the relay backs off, so nothing is lost; one failing topic does not hold back the others in a round.
 * Delivery is at least once (a crash between publish and mark repeats events): consumers skip known ids.
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { store, publisher, logger } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const batchSize = options.batchSize ?? 100;
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const now = options.now ?? Date.now;
  const gauges = options.registry && outboxGauges(options.registry);
  const controller = new AbortController();
  const { signal } = controller;

  // After the round, so the gauges show what is still waiting; a failing store leaves the last values
  // (the round's own failure is what gets logged as an error).
  const sample = async (): Promise<void> => {
    if (gauges === undefined) return;
    try {
      const stats = await store.stats();
      gauges.pending.set(stats.pending);
      const oldest = stats.oldestPendingAt?.getTime();
      gauges.oldestPendingAgeSeconds.set(oldest === undefined ? 0 : Math.max(0, (now() - oldest) / 1000));
    } catch (err) {
      logger.debug({ err }, 'outbox: could not sample the backlog');
    }
  };

  // Consecutive entries of a topic written in the same trace context: published together, in a span of
  // that context, so the consumer continues the trace of the request that wrote them.
  const runsOf = (entries: readonly PendingEntry[]): PendingEntry[][] => {
    const runs: PendingEntry[][] = [];
    for (const entry of entries) {
      const last = runs.at(-1);
      if (last !== undefined && last[0]!.traceContext?.traceparent === entry.traceContext?.traceparent) {
        last.push(entry);
      } else runs.push([entry]);
    }
    return runs;
  };

  const round = async (): Promise<RoundOutcome> => {
    const batch = await store.pending(batchSize);
    if (batch.length === 0) return 'idle';
    const byTopic = new Map<string, PendingEntry[]>();
    for (const entry of batch) {
      const group = byTopic.get(entry.topic) ?? [];
      byTopic.set(entry.topic, group);
      group.push(entry);
    }
    let failed = false;
    for (const [topic, entries] of byTopic) {
      const published: string[] = [];
      for (const run of runsOf(entries)) {
        const events: EventEnvelope[] = run.map((e) => e.event);
        try {
          await withPublishSpan(
            topic,
            contextFromHeaders(run[0]!.traceContext),
            { 'messaging.batch.message_count': events.length, 'outbox.seq': run.map((e) => e.seq).join(',') },
            () => publisher.publish(topic, events),
          );
        } catch (err) {
          failed = true;
          logger.warn(
            { err, topic, events: entries.length - published.length },
            'outbox: publish failed; events stay pending',
          );
          // The rest of this topic waits too, so its events keep their order.
          break;
        }
        published.push(...run.map((e) => e.seq));
      }
      if (published.length === 0) continue;
      await store.markPublished(published);
      logger.debug({ topic, events: published.length }, 'outbox: published');
    }
    if (failed) return 'failed';
    return batch.length === batchSize ? 'more' : 'idle';
  };

  const loop = (async () => {
    let failures = 0;
    while (!signal.aborted) {
      let outcome: RoundOutcome;
      try {
        outcome = await round();
      } catch (err) {
        logger.error({ err }, 'outbox: relay round failed');
        outcome = 'failed';
      }
      await sample();
      if (outcome === 'failed') {
        failures += 1;
        const backoff = Math.min(maxBackoffMs, intervalMs * 2 ** Math.min(failures, 20));
        // Jitter, so relays of several pods do not retry in lockstep against a recovering broker.
        await sleep(backoff * (0.75 + Math.random() * 0.25), signal);
        continue;
      }
      if (failures > 0) logger.info({ failures }, 'outbox: relay recovered');
      failures = 0;
      if (outcome === 'idle') await sleep(intervalMs, signal);
    }
  })();

  return {
    async stop() {
      controller.abort();
      await loop;
    },
  };
}
