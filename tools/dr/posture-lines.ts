// The DR posture as the lines `tools/run dr -- <env>` prints: aligned columns, figures as the plan checks them.
import type { DrPosture } from '../../stacks/dr-posture';
import { formatMinutes } from '../../stacks/spec';

const pad = (text: string, width: number) => text.padEnd(width);

/** One verdict per figure: held to the target and within it, above it, or informational only. */
function verdict(minutes: number, target: number, checked: boolean): string {
  if (!checked) return 'info';
  return minutes <= target ? 'ok' : 'MISSED';
}

export function postureLines(p: DrPosture): string[] {
  const lines = [
    `disaster recovery of ${p.stack}: ${p.primaryRegion} -> warm standby in ${p.standbyRegion}` +
      (p.enabled ? '' : ' (off: platform:dr.enabled is false, nothing is built or checked)'),
    p.serving === 'primary'
      ? `serving: ${p.primaryRegion} (platform:dr.failover.serve: primary); the standby's services are ` +
        "passive and MirrorMaker 2 mirrors prod's Kafka into it"
      : `serving: ${p.standbyRegion}, the STANDBY (platform:dr.failover.serve: standby): failed over; ` +
        "MirrorMaker 2 is stopped and the primary's services are passive",
    '',
    'standby node groups (warm -> on failover):',
    ...p.standby.map(
      (g) =>
        `  ${pad(g.name, 10)} ${pad(`${g.desiredSize} -> ${g.failoverSize}`, 9)} ${g.instanceTypes.join(', ')}`,
    ),
    '',
    'what replicates to the standby:',
    ...p.replication.map((r) => `  ${pad(r.store, 8)} ${r.how}`),
    '',
    `worst-case RPO (target ${p.rpoTargetMinutes} min):`,
    ...p.rpo.map(
      (r) =>
        `  ${pad(r.store, 8)} ${pad(`${formatMinutes(r.minutes)} min`, 10)} ${pad(verdict(r.minutes, p.rpoTargetMinutes, r.checked), 6)} ` +
        `${r.because}${r.note === undefined ? '' : ` (${r.note})`}`,
    ),
    '',
    `RTO estimate, step by step (target ${p.rtoTargetMinutes} min):`,
    ...p.rto.steps.map(
      (s) => `  ${pad(s.name, 22)} ${pad(`${formatMinutes(s.minutes)} min`, 10)} ${s.because}`,
    ),
    `  ${pad('total', 22)} ${pad(`${formatMinutes(p.rto.totalMinutes)} min`, 10)} ${verdict(p.rto.totalMinutes, p.rtoTargetMinutes, true)}`,
    '',
    `last drill: ${p.drill.message}`,
  ];
  return lines;
}
