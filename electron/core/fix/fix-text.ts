/** Plain FIX tag=value text helpers: no engine, no dictionary. */

const SOH = '\x01';
/** Tags whose value must never reach a log, a journal or a screen: Password, NewPassword. */
const SECRET_TAGS = new Set(['554', '925']);

/** Reads one field's raw text by tag number; undefined when absent. */
export interface FieldReader {
  get(tag: number): string | undefined;
}

/** The message as a person reads it: SOH shown as '|', passwords masked. */
export function displayFixText(text: string): string {
  const fields = text.split(SOH).join('|').split('|');
  return fields
    .map((field) => {
      const eq = field.indexOf('=');
      return eq > 0 && SECRET_TAGS.has(field.slice(0, eq)) ? `${field.slice(0, eq)}=***` : field;
    })
    .join('|');
}

/**
 * Parses tag=value text (SOH or '|' delimited) into a reader of the first occurrence of each tag.
 * Meant for tests and tools; the session reads fields from the engine's own view.
 */
export function parseFixText(text: string): FieldReader & { readonly fields: ReadonlyArray<readonly [number, string]> } {
  const fields: Array<readonly [number, string]> = [];
  for (const part of text.split(/[|\x01]/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new Error(`not a tag=value field: '${part}'`);
    fields.push([Number(part.slice(0, eq)), part.slice(eq + 1)]);
  }
  const first = new Map<number, string>();
  for (const [tag, value] of fields) if (!first.has(tag)) first.set(tag, value);
  return { fields, get: (tag) => first.get(tag) };
}

/** FIX UTCTimestamp (YYYYMMDD-HH:MM:SS[.sss…]) as ISO-8601, keeping every fractional digit sent. */
export function fixTimestampToIso(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return undefined;
  }
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}Z`;
}

/** ISO date (YYYY-MM-DD) as FIX LocalMktDate (YYYYMMDD). */
export function isoDateToFix(value: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return `${y}${mo}${d}`;
}
