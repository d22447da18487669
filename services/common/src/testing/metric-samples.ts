/** One sample line of a Prometheus text exposition. */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** The samples of metric `name` in `text` (what GET /metrics answers), with their labels parsed. */
export function metricSamples(text: string, name: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match === null || match[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    samples.push({ name, labels, value: Number(match[3]) });
  }
  return samples;
}

/**
 * The value of the one sample of `name` whose labels include `labels`; undefined when there is none.
 * Throws when several match, so a test cannot read the wrong series.
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const matching = metricSamples(text, name).filter((s) =>
    Object.entries(labels).every(([key, value]) => s.labels[key] === value),
  );
  if (matching.length > 1) {
    throw new Error(`${name}${JSON.stringify(labels)} matches ${matching.length} samples; name more labels`);
  }
  return matching[0]?.value;
}

/** Whether `text` declares the metric family `name` (its HELP and TYPE lines), with or without samples. */
export function declaresMetric(text: string, name: string, type: string): boolean {
  const lines = text.split('\n');
  return lines.some((l) => l.startsWith(`# HELP ${name} `)) && lines.includes(`# TYPE ${name} ${type}`);
}
