/** IPv4 CIDR arithmetic for validating network layouts (no dependency needed for this much). */
export interface Cidr {
  readonly text: string;
  /** First address as an unsigned 32-bit number. */
  readonly start: number;
  readonly prefix: number;
}

export const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "10.20.0.0/16"; undefined when malformed or when host bits are set ("10.20.0.1/16"). */
export function parseCidr(text: string): Cidr | undefined {
  const m = CIDR_PATTERN.exec(text);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { text, start: address, prefix };
}

export function cidrSize(c: Cidr): number {
  return 2 ** (32 - c.prefix);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.start < b.start + cidrSize(b) && b.start < a.start + cidrSize(a);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.start >= outer.start && inner.start + cidrSize(inner) <= outer.start + cidrSize(outer);
}

function format(address: number, prefix: number): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256);
  return `${octets.join('.')}/${prefix}`;
}

/** The index-th block of size /newPrefix inside parent ("10.0.0.0/16", 20, 1 -> "10.0.16.0/20"). */
export function subnet(parent: Cidr, newPrefix: number, index: number): string {
  if (newPrefix < parent.prefix || newPrefix > 32)
    throw new Error(`cannot split /${parent.prefix} into /${newPrefix}`);
  const count = 2 ** (newPrefix - parent.prefix);
  if (index < 0 || index >= count)
    throw new Error(`${parent.text} has ${count} /${newPrefix} blocks (asked for #${index})`);
  return format(parent.start + index * 2 ** (32 - newPrefix), newPrefix);
}
