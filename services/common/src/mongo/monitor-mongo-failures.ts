import type { ConnectionCheckOutFailedEvent, MongoClient, ServerHeartbeatFailedEvent } from 'mongodb';
import type { FailureRecorder } from '../store-metrics/datastore-failures';

/**
 * Counts the client's failures to reach MongoDB into `record`: every failed heartbeat of a server monitor
 * (a member down or unreachable, also while connecting) and every connection check-out that failed on a
 * connection error or a timeout. A check-out refused because the pool is closing is shutdown, not a
 * failure. Returns what detaches the listeners (before closing the client, whose monitors then stop).
 */
export function monitorMongoFailures(
  client: Pick<MongoClient, 'on' | 'off'>,
  record: FailureRecorder,
): () => void {
  const onHeartbeatFailed = (_event: ServerHeartbeatFailedEvent): void => record();
  const onCheckOutFailed = (event: ConnectionCheckOutFailedEvent): void => {
    if (event.reason !== 'poolClosed') record();
  };
  client.on('serverHeartbeatFailed', onHeartbeatFailed);
  client.on('connectionCheckOutFailed', onCheckOutFailed);
  return () => {
    client.off('serverHeartbeatFailed', onHeartbeatFailed);
    client.off('connectionCheckOutFailed', onCheckOutFailed);
  };
}
