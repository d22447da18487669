/** Kubernetes resource quantities (`500Gi`, `1.5T`, `250m`) as numbers, to tell growing from shrinking. */
const FACTORS: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** The quantity's value, or undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$/.exec(value);
  const factor = m?.[2] !== undefined ? FACTORS[m[2]] : undefined;
  return m?.[1] === undefined || factor === undefined ? undefined : Number(m[1]) * factor;
}
