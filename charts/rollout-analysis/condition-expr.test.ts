import {
  ConditionEvaluationError,
  ConditionSyntaxError,
  evaluateCondition,
  parseCondition,
} from './condition-expr';

describe('the condition subset of Argo expr', () => {
  it.each([
    ['len(result) > 0 && result[0] <= 0.01', [0.005], true],
    ['len(result) > 0 && result[0] <= 0.01', [0.2], false],
    ['len(result) > 0 && result[0] > 0.01', [0.2], true],
    ['len(result) > 0 && result[0] >= 20', [20], true],
    ['result == "ready"', 'ready', true],
    ['result != "ready"', 'not_ready', true],
    ['!(result[0] < 1) || false', [1], true],
    ['isNaN(result[0])', [NaN], true],
    ['asFloat(result) >= 0.5', '0.75', true],
    ['result[1] == -2', [1, -2], true],
    ['true && !false', null, true],
    ['len(result) == 0', [], true],
  ])('%s with %p is %p', (condition, result, expected) => {
    expect(evaluateCondition(condition, result)).toBe(expected);
  });

  it('binds as expr does: ! before comparisons before && before ||', () => {
    // (false && false) || true = true; false && (false || true) would be false.
    expect(evaluateCondition('1 > 2 && 1 > 2 || 2 > 1', null)).toBe(true);
    expect(parseCondition('!result == false')).toEqual({
      kind: 'compare',
      op: '==',
      left: { kind: 'not', operand: { kind: 'result' } },
      right: { kind: 'bool', value: false },
    });
  });

  it('makes both of our conditions false for an empty result and for NaN (Inconclusive, not an error)', () => {
    for (const result of [[], [NaN]]) {
      expect(evaluateCondition('len(result) > 0 && result[0] <= 0.01', result)).toBe(false);
      expect(evaluateCondition('len(result) > 0 && result[0] > 0.01', result)).toBe(false);
    }
  });

  it('fails like expr where expr fails: past the end, mixed types, non-boolean outcomes', () => {
    expect(() => evaluateCondition('result[0] > 0.01', [])).toThrow(
      new ConditionEvaluationError('condition "result[0] > 0.01": index out of range: 0 (array length is 0)'),
    );
    expect(() => evaluateCondition('result > 1', 'x')).toThrow('mismatched types string and float64');
    expect(() => evaluateCondition('result[0]', [1])).toThrow('expected bool, but got float64');
    expect(() => evaluateCondition('len(result) && true', [1])).toThrow('the left of && must be bool');
    expect(() => evaluateCondition('asFloat(result) > 1', 'abc')).toThrow(
      'asFloat() not supported on string',
    );
  });

  it.each([
    ['result[0] + 1 > 2', '"+" at position 10'],
    ['result.value > 1', '"." at position 6'],
    ['result[0] > 1e-3', 'the number "1e"'],
    ['result[0] > 1 and true', 'the name "and"; write &&'],
    ['sum(result) > 1', 'the name "sum"'],
    ["result == 'ready'", `"'" at position 10`],
    ['0 < result[0] < 1', 'the chained comparison "<"'],
    ['result[-1] > 0', 'the index "-"'],
    ['len(result, 1) > 0', 'a second argument to len'],
  ])('refuses %s naming %s', (condition, what) => {
    let error: unknown;
    try {
      parseCondition(condition);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect((error as Error).message).toContain(`condition ${JSON.stringify(condition)}: ${what}`);
    expect((error as Error).message).toContain("outside the supported subset of Argo's expr");
  });

  it('refuses empty and unbalanced conditions', () => {
    expect(() => parseCondition(' ')).toThrow('condition must be a non-empty string (got " ")');
    expect(() => parseCondition('(result[0] > 1')).toThrow('expected ")" at position 14 (got the end)');
    expect(() => parseCondition('result[0] > ')).toThrow('unexpected end of condition');
    expect(() => parseCondition('result[0] > 1 )')).toThrow('unexpected ")" at position 14');
  });
});
