import { z } from 'zod';

/**
 * The one rule for free text anyone types (names, SKUs, categories, descriptions, search terms,
 * notification subjects and bodies): what is stored is what every reader sees, in one form.
 *
 * Refused, anywhere in the text:
 * - control characters (Unicode Cc: U+0000-U+001F, U+007F-U+009F); `multiline` fields (descriptions,
 *   message bodies) allow line feed and tab, and store CR LF and lone CR as LF;
 * - U+2028 and U+2029 (line and paragraph separators): line breaks that JavaScript, JSON-in-HTML and log
 *   readers treat differently;
 * - format characters (Unicode Cf), among them the bidirectional embeddings, overrides and isolates
 *   U+202A-U+202E and U+2066-U+2069 (text that displays in another order than it reads: "Trojan Source"),
 *   the marks U+200E, U+200F and U+061C, zero-width space U+200B, word joiner U+2060, invisible operators
 *   U+2061-U+2064, BOM U+FEFF, soft hyphen U+00AD and tag characters (hidden text). Allowed are zero-width
 *   non-joiner and joiner (U+200C, U+200D), which Persian, Indic scripts and emoji sequences need, and tag
 *   characters inside the subdivision flags (black flag U+1F3F4, tags, cancel tag U+E007F);
 * - the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0, which render as nothing and make blank names;
 * - noncharacters (U+FDD0-U+FDEF and U+xFFFE/U+xFFFF of every plane), not meant for interchange;
 * - unpaired surrogates, which are not text at all (no UTF-8 encoding; MongoDB and JSON parsers differ).
 *
 * Accepted text is NFC-normalised (so "é" typed as e + U+0301 and as U+00E9 is one value, for search,
 * uniqueness and length) and trimmed; lengths count characters (code points) after that.
 */
export interface TextOptions {
  /** Most characters after normalising and trimming. */
  readonly max: number;
  /** Fewest characters after trimming; default 1 ("must not be blank"). 0 allows an empty string. */
  readonly min?: number;
  /** Allows line feeds and tabs, for long bodies; CR LF and CR become LF. */
  readonly multiline?: boolean;
}

/** The one message for a refused character, on every field of every service, naming what was found. */
export const TEXT_CHARACTER_MESSAGE =
  'must be plain text without control characters, invisible formatting or bidirectional controls';

// Cc, Cf (ZWNJ and ZWJ are let through below), line/paragraph separators and the Hangul fillers. Tag
// characters (U+E0000-U+E007F) are Cf too; flag sequences are masked before this is tested.
const FORBIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029\u115F\u1160\u3164\uFFA0]/u;
const JOINERS = new Set(['\u200C', '\u200D']);
// Subdivision flags such as England's: U+1F3F4, tag letters/digits, U+E007F.
const FLAG_SEQUENCE = /\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{1,6}\u{E007F}/gu;

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The first refused character as `U+XXXX at character N` (1-based, in code points), or undefined. */
export function findRefusedCharacter(value: string, multiline = false): string | undefined {
  // Flag sequences keep their length (as placeholders), so positions stay right.
  const checked = value.replace(FLAG_SEQUENCE, (flag) => 'x'.repeat([...flag].length));
  let index = 0;
  for (const char of checked) {
    index += 1;
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff)
      return `an unpaired surrogate ${codePoint(char)} at character ${index}`;
    if (multiline && (char === '\n' || char === '\t')) continue;
    if (JOINERS.has(char)) continue;
    const nonCharacter = (code >= 0xfdd0 && code <= 0xfdef) || (code & 0xfffe) === 0xfffe;
    if (FORBIDDEN.test(char) || nonCharacter) return `${codePoint(char)} at character ${index}`;
  }
  return undefined;
}

function plural(n: number): string {
  return `${n} character${n === 1 ? '' : 's'}`;
}

/**
 * A zod schema for one free-text field under the rule above: refuses with TEXT_CHARACTER_MESSAGE (and the
 * character found), "must not be blank" or the length limits; yields the NFC-normalised, trimmed text.
 * Compose a format on top with `.pipe(...)`, e.g. `text({ max: 64 }).pipe(z.string().regex(...))`.
 */
export function text(options: TextOptions): z.ZodType<string, string> {
  const { max, min = 1, multiline = false } = options;
  return z.string().transform((raw, ctx) => {
    const lines = multiline ? raw.replace(/\r\n?/g, '\n') : raw;
    const found = findRefusedCharacter(lines, multiline);
    if (found !== undefined) {
      // No input: echoing the character back would put it into responses and logs.
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        message: `${TEXT_CHARACTER_MESSAGE} (found ${found})`,
      });
      return z.NEVER;
    }
    const value = lines.normalize('NFC').trim();
    const length = [...value].length;
    if (length < min) {
      const message = min === 1 ? 'must not be blank' : `must have at least ${plural(min)}`;
      ctx.issues.push({ code: 'custom', input: value, message });
      return z.NEVER;
    }
    if (length > max) {
      ctx.issues.push({ code: 'custom', input: value, message: `must have at most ${plural(max)}` });
      return z.NEVER;
    }
    return value;
  });
}
