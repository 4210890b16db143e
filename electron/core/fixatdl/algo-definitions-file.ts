import { readFileSync } from 'node:fs';
import type { AlgoDefinitions } from '../../../shared/domain/broker-algo';
import { ConfigError } from '../config/json-config';
import { readAtdl } from './atdl-reader';
import { parseXml, XmlSyntaxError } from './xml-tree';

/** Files beyond this are refused before parsing (a real broker's file is tens of kilobytes). */
const MAX_BYTES = 4 * 1024 * 1024;

/**
 * A broker's FIXatdl file, read and checked whole: unreadable, malformed or wrong in any part, it
 * throws a ConfigError naming the file and every problem with its line, and nothing is loaded.
 */
export function loadAlgoDefinitions(path: string): AlgoDefinitions {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read the FIXatdl file ${path}: ${(e as Error).message}`);
  }
  return parseAlgoDefinitions(text, path);
}

export function parseAlgoDefinitions(text: string, source: string): AlgoDefinitions {
  if (text.length > MAX_BYTES) throw new ConfigError(`the FIXatdl file ${source} is larger than ${MAX_BYTES} bytes`);
  let root;
  try {
    root = parseXml(text);
  } catch (e) {
    if (e instanceof XmlSyntaxError) throw new ConfigError(`the FIXatdl file ${source} is not well-formed XML: ${e.message}`);
    throw e;
  }
  const read = readAtdl(root);
  if (!read.ok) throw new ConfigError(`invalid FIXatdl file ${source}:\n${read.problems.map((p) => `  ${p}`).join('\n')}`);
  return read.definitions;
}
