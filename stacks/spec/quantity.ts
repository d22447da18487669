import { BYTES_PATTERN, CPU_PATTERN } from './schema';

/** Millicores of a CPU quantity that matched CPU_PATTERN ("250m" -> 250, "1.5" -> 1500). */
export function parseCpu(quantity: string): number {
  if (!CPU_PATTERN.test(quantity)) throw new Error(`not a CPU quantity: ${JSON.stringify(quantity)}`);
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) : Math.round(Number(quantity) * 1000);
}

const UNITS: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };

/** Bytes of a binary-unit quantity that matched BYTES_PATTERN ("256Mi" -> 268435456). */
export function parseBytes(quantity: string): number {
  const match = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(quantity);
  if (!match || !BYTES_PATTERN.test(quantity))
    throw new Error(`not a byte quantity: ${JSON.stringify(quantity)}`);
  return Number(match[1]) * (UNITS[match[2] ?? ''] ?? 1);
}
