/**
 * Finds planted secret values in text, in clear or base64-encoded, wherever they sit inside a larger
 * string (`KEY=value`, a connection URI, a JSON blob). Base64 maps 3 bytes to 4 characters, so a value
 * embedded at an unknown offset encodes to one of three character runs depending on its offset modulo 3;
 * each run, minus the characters shared with the surrounding bytes, is searched for. That catches the
 * value whatever framing surrounds it, in standard and URL-safe alphabets.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One planted value found somewhere it must not be. */
export interface Finding {
  /** Name of the planted value (where it entered). */
  readonly marker: string;
  /** File (relative to the scanned root) or stream the value was found in. */
  readonly where: string;
  /** How it was found: clear text, or the base64 alphabet and offset. */
  readonly encoding: string;
}

/** A planted value under a name that says where it entered the program. */
export interface PlantedSecret {
  readonly name: string;
  readonly value: string;
}

const MIN_SIGNATURE = 8;

/**
 * The base64 runs that any encoding of a text containing `value` contains, one per offset (0, 1 or 2 bytes
 * of preceding text modulo 3), standard and URL-safe; trailing `=` padding is never part of a run.
 */
export function base64Signatures(value: string): { encoding: string; run: string }[] {
  const bytes = Buffer.from(value, 'utf8');
  const runs: { encoding: string; run: string }[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset, 0), bytes]).toString('base64');
    // With preceding bytes, the first 4-character group mixes them in; the last partial group mixes in
    // whatever follows the value.
    const start = offset === 0 ? 0 : 4;
    const end = Math.floor((offset + bytes.length) / 3) * 4;
    const run = encoded.slice(start, end);
    if (run.length < MIN_SIGNATURE) {
      throw new Error(`planted value "${value}" is too short to find in base64 (use at least 12 characters)`);
    }
    runs.push({ encoding: `base64 (offset ${offset})`, run });
    const urlSafe = run.replace(/\+/g, '-').replace(/\//g, '_');
    if (urlSafe !== run) runs.push({ encoding: `base64url (offset ${offset})`, run: urlSafe });
  }
  return runs;
}

/** Every planted value `text` contains, in clear or in base64. */
export function scanText(text: string, where: string, planted: readonly PlantedSecret[]): Finding[] {
  const findings: Finding[] = [];
  for (const { name, value } of planted) {
    if (text.includes(value)) findings.push({ marker: name, where, encoding: 'clear text' });
    for (const { encoding, run } of base64Signatures(value)) {
      if (text.includes(run)) findings.push({ marker: name, where, encoding });
    }
  }
  return findings;
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Scans every file under `dir` (whatever its name or format) for the planted values. */
export function scanTree(dir: string, planted: readonly PlantedSecret[]): Finding[] {
  return filesUnder(dir).flatMap((file) =>
    scanText(readFileSync(file, 'utf8'), relative(dir, file), planted),
  );
}
