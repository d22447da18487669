import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import type { ResolvedDashboardsProps } from './dashboards-props';

/** Every dashboard of the platform carries this tag; the links bar lists the others by it. */
export const PLATFORM_TAG = 'platform';

/**
 * The common frame: title with the environment, tags, a 6 h window refreshed every minute, and a dropdown of
 * the other platform dashboards that keeps the time range and the variables.
 */
export function dashboardFrame(
  uid: string,
  title: string,
  props: ResolvedDashboardsProps,
  tags: readonly string[],
): dashboard.DashboardBuilder {
  return (
    new dashboard.DashboardBuilder(`${title} (${props.environment})`)
      .uid(uid)
      .tags([PLATFORM_TAG, props.environment, ...tags])
      .time({ from: 'now-6h', to: 'now' })
      .refresh('1m')
      .timezone('browser')
      .tooltip(dashboard.DashboardCursorSync.Crosshair)
      // Provisioned from a ConfigMap: edits in the UI would be lost on the next sync, so none are offered.
      .readonly()
      .link(
        new dashboard.DashboardLinkBuilder('Platform dashboards')
          .type(dashboard.DashboardLinkType.Dashboards)
          .tags([PLATFORM_TAG])
          .asDropdown(true)
          .includeVars(true)
          .keepTime(true),
      )
  );
}
