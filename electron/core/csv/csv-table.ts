import Papa from 'papaparse';

/** One data row of a CSV file, by column name, with the line it starts on (the header is line 1). */
export interface CsvRow {
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

/** A problem in a CSV file, where a person can find it. */
export interface CsvProblem {
  readonly line: number;
  readonly field?: string;
  readonly message: string;
}

export type CsvTable = { readonly ok: true; readonly rows: readonly CsvRow[] } | { readonly ok: false; readonly problems: readonly CsvProblem[] };

/**
 * Parses CSV text with a header row (papaparse): every column the caller requires must be in the
 * header, no other column may be, and every row must have as many fields as the header. Values are
 * trimmed; empty lines are skipped. Rows keep the line they start on, quoted line breaks included.
 */
export function parseCsvTable(text: string, columns: { readonly required: readonly string[]; readonly optional?: readonly string[] }): CsvTable {
  const source = text.replace(/^\uFEFF/, '');
  const lineAt = lineStarts(source);
  const records: Array<{ cells: string[]; line: number }> = [];
  const problems: CsvProblem[] = [];
  let cursor = 0;
  Papa.parse<string[]>(source, {
    header: false,
    skipEmptyLines: 'greedy',
    step: (result) => {
      const line = lineOf(lineAt, firstContent(source, cursor));
      cursor = result.meta.cursor;
      for (const e of result.errors) problems.push({ line, message: `malformed CSV: ${e.message}` });
      records.push({ cells: result.data, line });
    },
  });
  const [header, ...body] = records;
  if (header === undefined) return { ok: false, problems: [{ line: 1, message: 'the file is empty: a header row is required' }] };
  const names = header.cells.map((h) => h.trim());
  const known = new Set([...columns.required, ...(columns.optional ?? [])]);
  for (const name of columns.required) if (!names.includes(name)) problems.push({ line: header.line, field: name, message: `the header lacks the column ${name}` });
  names.forEach((name, i) => {
    if (!known.has(name)) problems.push({ line: header.line, field: name, message: `unknown column '${name}'` });
    else if (names.indexOf(name) !== i) problems.push({ line: header.line, field: name, message: `column ${name} appears twice` });
  });
  const rows: CsvRow[] = [];
  for (const { cells, line } of body) {
    if (cells.length !== names.length) {
      problems.push({ line, message: `${cells.length} fields where the header has ${names.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    names.forEach((name, c) => (values[name] = (cells[c] ?? '').trim()));
    rows.push({ line, values });
  }
  return problems.length > 0 ? { ok: false, problems: dedupe(problems) } : { ok: true, rows };
}

/** Problems as one message: the file, then a line per problem, the first `max` of them. */
export function describeCsvProblems(source: string, problems: readonly CsvProblem[], max = 20): string {
  const shown = problems.slice(0, max).map((p) => `  line ${p.line}${p.field !== undefined ? `, ${p.field}` : ''}: ${p.message}`);
  const more = problems.length > max ? [`  … and ${problems.length - max} more`] : [];
  return [`${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}, nothing loaded`, ...shown, ...more].join('\n');
}

/** Character offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** The offset of the first character of a row that starts at or after `from` (skipped blank lines come before it). */
function firstContent(text: string, from: number): number {
  let i = from;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ' || text[i] === '\t')) i++;
  return i;
}

/** 1-based line of a character offset. */
function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function dedupe(problems: CsvProblem[]): CsvProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.line}|${p.field ?? ''}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
