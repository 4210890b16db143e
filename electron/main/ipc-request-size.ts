/**
 * Whether a message that came over IPC (already a structured clone: strings, numbers, arrays,
 * objects, maps, sets, typed arrays, possibly with cycles) is larger than `limitBytes`, counted as
 * its JSON would be (strings in UTF-8). The count stops as soon as it passes the limit, so a
 * message of any size costs at most about `limitBytes` of work before it is refused, and nothing
 * of it is parsed or validated.
 */
export function exceedsSize(value: unknown, limitBytes: number): boolean {
  let total = 0;
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    total += sizeOf(item, limitBytes - total);
    if (total > limitBytes) return true;
    if (typeof item !== 'object' || item === null || seen.has(item)) continue;
    seen.add(item);
    if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer || item instanceof Date) continue;
    // A comma (and a key) per child, counted as it is queued, so a container of millions of entries
    // is given up on after about limitBytes of them. (One comma too many per container.)
    if (item instanceof Map || item instanceof Set || Array.isArray(item)) {
      for (const entry of item instanceof Map ? flatten(item) : item) {
        total += 1;
        if (total > limitBytes) return true;
        stack.push(entry);
      }
    } else {
      for (const key in item) {
        if (!Object.prototype.hasOwnProperty.call(item, key)) continue;
        total += utf8Length(key, limitBytes - total) + 4; // "key":
        if (total > limitBytes) return true;
        stack.push((item as Record<string, unknown>)[key]);
      }
    }
    if (total > limitBytes) return true;
  }
  return false;
}

function* flatten(map: Map<unknown, unknown>): Generator<unknown> {
  for (const [k, v] of map) {
    yield k;
    yield v;
  }
}

function sizeOf(item: unknown, remaining: number): number {
  switch (typeof item) {
    case 'string':
      return utf8Length(item, remaining) + 2;
    case 'number':
    case 'bigint':
      return String(item).length;
    case 'boolean':
      return 5;
    case 'object':
      if (item === null) return 4;
      if (ArrayBuffer.isView(item) || item instanceof ArrayBuffer) return item.byteLength;
      if (item instanceof Date) return 26;
      return 2; // {} or []
    default:
      return 4; // undefined, functions and symbols do not survive a structured clone
  }
}

/** UTF-8 bytes of `text`, or a number past `remaining` without reading further once it is sure to be. */
function utf8Length(text: string, remaining: number): number {
  if (text.length > remaining) return text.length; // at least one byte per UTF-16 unit
  return Buffer.byteLength(text, 'utf8');
}
