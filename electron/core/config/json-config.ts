import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Validates `value`; the error names the source and every bad field (`brokers[1].port: ...`). */
export function parseConfig<S extends z.ZodType>(schema: S, value: unknown, what: string, source: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${formatPath(i.path)}: ${i.message}`);
    throw new ConfigError(`invalid ${what} in ${source}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Reads a JSON file and validates it: unreadable, non-JSON and invalid files each get a clear error. */
export function loadJsonConfig<S extends z.ZodType>(schema: S, path: string, what: string): z.infer<S> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${what} ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfig(schema, json, what, path);
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}
