import { ensureCompiled } from '../../test/support/ensure-compiled';
import { runPlanCostBench, type Figure } from './plan-cost-bench';

// A smoke test of the benchmark in --quick mode: every figure is a number. Never a speed assertion.
describe('plan-cost benchmark (quick)', () => {
  beforeAll(() => ensureCompiled(), 120_000);

  it('measures every figure: warm, --all, after a one-line change, and per object at growing size', async () => {
    const lines: string[] = [];
    const result = await runPlanCostBench({ quick: true, log: (line) => lines.push(line) });
    const positive = (n: number) => expect(Number.isFinite(n) && n > 0).toBe(true);
    const figure = (f: Figure) => {
      positive(f.wallMs);
      positive(f.peakRssMb);
      expect(f.runs).toBe(1);
    };
    figure(result.oneEnvWarm);
    figure(result.allWarm);
    figure(result.oneEnvAfterChange);
    figure(result.fixtureBaseline);
    expect(result.growth.map((p) => p.services)).toEqual([10, 40]);
    for (const point of result.growth) {
      figure(point);
      positive(point.msPerObject);
      positive(point.wallMsPerObject);
    }
    // More services, more objects: the fixture really scales.
    const [small, large] = result.growth;
    expect(large!.objects).toBeGreaterThan(small!.objects);
    expect(small!.objects).toBeGreaterThan(result.fixtureBaseline.objects);
    positive(result.linearity.ratio);
    positive(result.machine.cpus);
    expect(lines.some((l) => l.startsWith('tools/run plan --all (warm)'))).toBe(true);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  }, 600_000);
});
