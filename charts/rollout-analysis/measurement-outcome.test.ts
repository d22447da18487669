import { analysisRunPhase, measurementOutcome, runOutcome } from './measurement-outcome';

const ratio = {
  successCondition: 'len(result) > 0 && result[0] <= 0.01',
  failureCondition: 'len(result) > 0 && result[0] > 0.01',
};

describe("Argo's decision for one measurement (EvaluateResult)", () => {
  it('is Successful, Failed or Inconclusive from the two conditions', () => {
    expect(measurementOutcome(ratio, [0])).toBe('Successful');
    expect(measurementOutcome(ratio, [0.2])).toBe('Failed');
    expect(measurementOutcome(ratio, [])).toBe('Inconclusive');
    expect(measurementOutcome(ratio, [NaN])).toBe('Inconclusive');
  });

  it('checks failure first, derives the missing condition, and is Error when a condition cannot be evaluated', () => {
    expect(measurementOutcome({ successCondition: 'true', failureCondition: 'true' }, null)).toBe('Failed');
    // Without a failureCondition, "not successful" is a failure: silence would fail the canary.
    expect(measurementOutcome({ successCondition: 'len(result) > 0 && result[0] >= 20' }, [])).toBe('Failed');
    expect(measurementOutcome({ failureCondition: 'result[0] > 1' }, [0])).toBe('Successful');
    expect(measurementOutcome({}, [])).toBe('Successful');
    expect(
      measurementOutcome({ successCondition: 'result[0] <= 0.01', failureCondition: 'result[0] > 0.01' }, []),
    ).toBe('Error');
  });
});

describe("Argo's decision for a metric's measurements (assessMetricStatus)", () => {
  const limits = { count: 3, failureLimit: 0, inconclusiveLimit: 1 };
  it('fails at failureLimit + 1 failures, at once, without waiting for count', () => {
    expect(runOutcome(['Successful', 'Failed', 'Successful'], limits)).toEqual({
      phase: 'Failed',
      measurements: 2,
      message: 'failed (1) > failureLimit (0)',
    });
  });

  it('is Inconclusive past inconclusiveLimit and Successful at count within the limits', () => {
    expect(runOutcome(['Inconclusive', 'Inconclusive'], limits)).toMatchObject({
      phase: 'Inconclusive',
      measurements: 2,
      message: 'inconclusive (2) > inconclusiveLimit (1)',
    });
    expect(runOutcome(['Inconclusive', 'Successful', 'Successful'], limits)).toMatchObject({
      phase: 'Successful',
      measurements: 3,
    });
    expect(runOutcome(['Successful'], limits)).toEqual({ phase: 'Running', measurements: 1 });
  });

  it('lets a later limit win (Inconclusive over Failed, Error over both) and does not count errors', () => {
    expect(
      runOutcome(['Inconclusive', 'Failed'], { count: 3, failureLimit: 0, inconclusiveLimit: 0 }),
    ).toMatchObject({
      phase: 'Inconclusive',
      measurements: 1,
    });
    expect(
      runOutcome(['Inconclusive', 'Failed'], { count: 3, failureLimit: 0, inconclusiveLimit: 1 }),
    ).toMatchObject({ phase: 'Failed' });
    expect(runOutcome(['Error', 'Error', 'Successful'], { count: 1 })).toMatchObject({
      phase: 'Successful',
      measurements: 3,
    });
    expect(runOutcome(['Error', 'Error'], { count: 1, consecutiveErrorLimit: 1 })).toMatchObject({
      phase: 'Error',
      message: 'consecutiveErrors (2) > consecutiveErrorLimit (1)',
    });
  });

  it('gives the run the worst completed phase, Running while a metric runs', () => {
    expect(analysisRunPhase(['Successful', 'Inconclusive'])).toBe('Inconclusive');
    expect(analysisRunPhase(['Inconclusive', 'Failed', 'Error'])).toBe('Failed');
    expect(analysisRunPhase(['Successful', 'Running'])).toBe('Running');
    expect(analysisRunPhase(['Successful', 'Successful'])).toBe('Successful');
  });
});
