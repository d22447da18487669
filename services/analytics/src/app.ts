import type { Logger, ReadinessCheck, Registry, ServiceApp, ServiceConfig } from '@platform/common';
import { createApp } from '@platform/common';
import type { AnalyticsRoutesOptions } from './analytics-routes';
import { analyticsRoutes } from './analytics-routes';

export interface AnalyticsAppOptions extends AnalyticsRoutesOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The registry /metrics serves; pass the one the store clients record into (dependencies.ts). */
  readonly registry?: Registry;
}

export function createAnalyticsApp({
  config,
  logger,
  readinessChecks,
  registry,
  ...routes
}: AnalyticsAppOptions): ServiceApp {
  return createApp({
    config,
    logger,
    // The API only reads: no request needs more than a small body, so anything larger is refused early.
    bodyLimit: '16kb',
    routes: (context) => analyticsRoutes(routes, context),
    ...(readinessChecks !== undefined && { readinessChecks }),
    ...(registry !== undefined && { registry }),
  });
}
