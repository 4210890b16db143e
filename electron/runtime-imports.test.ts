import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * What the desk runs is what its entry points import, transitively: the Electron app (main and
 * preload), `npm run serve` (the host and the simulator it starts) and `npm run restore`. Followed
 * here through every import that survives compilation (type-only imports are erased; dynamic
 * import() and require() count), the graph must not reach jspurefix (a devDependency: tests and
 * benchmarks only), nor a test file, and every package it reaches must be a production dependency:
 * the packaged app contains those and nothing else.
 */
const root = resolve(import.meta.dirname, '..');
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

const ENTRIES = {
  'the Electron main process': 'electron/main/index.ts',
  'the Electron preload': 'electron/preload/index.ts',
  'npm run serve (the headless host)': 'electron/host/serve-main.ts',
  'npm run serve (the broker simulator it starts)': 'electron/simulator/main.ts',
  'npm run restore': 'electron/host/restore-main.ts',
} as const;

/** The renderer, bundled by Vite into out/renderer (app/index.html loads it). */
const RENDERER_ENTRY = 'app/src/main.tsx';

interface Graph {
  /** Repository-relative paths of the source files reached. */
  readonly files: Set<string>;
  /** Package name → the first file that imports it. */
  readonly packages: Map<string, string>;
}

/** The import graph from one file: every runtime import, transitively. */
function importGraph(entry: string): Graph {
  const files = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const name = relative(root, file);
    if (files.has(name)) continue;
    files.add(name);
    for (const specifier of runtimeSpecifiers(file)) {
      if (specifier.startsWith('.')) {
        const source = resolveSource(resolve(dirname(file), specifier), name);
        if (source !== undefined) queue.push(source);
      } else if (!builtins.has(specifier)) {
        const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
        if (!packages.has(pkg)) packages.set(pkg, name);
      }
    }
  }
  return { files, packages };
}

/** The source file a relative import names; undefined for an asset the bundler inlines (CSS, images, JSON data: it imports nothing). */
function resolveSource(base: string, from: string): string | undefined {
  if (/\.(css|svg|png)$/.test(base)) return undefined;
  if (base.endsWith('.json')) {
    if (existsSync(base)) return undefined;
    throw new Error(`${from}: cannot resolve ${relative(root, base)}`);
  }
  for (const candidate of [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base.replace(/\.js$/, '.ts'), base]) {
    if (existsSync(candidate) && /\.tsx?$/.test(candidate)) return candidate;
  }
  throw new Error(`${from}: cannot resolve ${relative(root, base)}`);
}

/** Module specifiers that remain after compilation: no `import type`, no imports of types only. */
function runtimeSpecifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined && clause.namedBindings !== undefined && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.length > 0 && clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      if (!node.isTypeOnly) found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isDynamicImport || isRequire) found.push((node.arguments[0] as ts.StringLiteral).text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('what the desk runs never loads what only tests use', () => {
  it.each(Object.entries(ENTRIES))('%s (%s): no jspurefix, no test code, only production dependencies', (_what, entry) => {
    const graph = importGraph(entry);
    expect(graph.files.size).toBeGreaterThan(1);
    const devOnly = [...graph.packages].filter(([pkg]) => pkg === 'jspurefix' || pkg === 'reflect-metadata');
    expect(devOnly, 'jspurefix reached from').toEqual([]);
    expect([...graph.files].filter((f) => /\.test(-support)?\.ts$|(^|\/)integration-tests\//.test(f)), 'test code reached').toEqual([]);
    const notShipped = [...graph.packages].filter(([pkg]) => !(pkg in packageJson.dependencies) && !(pkg === 'electron' && entry.startsWith('electron/main') || pkg === 'electron' && entry.startsWith('electron/preload')));
    expect(notShipped, 'packages reached that are not production dependencies (package, first importer)').toEqual([]);
  });

  it('every production dependency is used by what runs (the packaged app ships them all), and jspurefix is not one', () => {
    const reached = new Set([...Object.values(ENTRIES), RENDERER_ENTRY].flatMap((entry) => [...importGraph(entry).packages.keys()]));
    expect(Object.keys(packageJson.dependencies).filter((pkg) => !reached.has(pkg))).toEqual([]);
    expect(Object.keys(packageJson.dependencies)).not.toContain('jspurefix');
    expect(Object.keys(packageJson.dependencies)).not.toContain('reflect-metadata');
  });

  it('the desk reaches its FIX layer and the journal (the graph follows dynamic imports)', () => {
    const graph = importGraph(ENTRIES['npm run serve (the headless host)']);
    expect(graph.files).toContain('electron/core/fix/fix-broker-connection.ts'); // import() in create-desk.ts
    expect(graph.files).toContain('electron/core/journal/sqlite-journal.ts');
    expect(graph.packages.has('better-sqlite3')).toBe(true);
  });

  it('the scan finds jspurefix where it is used', () => {
    expect(importGraph('electron/integration-tests/sessions/foreign-engine.test.ts').packages.has('jspurefix')).toBe(true);
    expect(importGraph('bench/lib/bare-initiator.ts').packages.get('reflect-metadata')).toBe('bench/lib/bare-initiator.ts');
  });

  it('type-only imports are not followed', () => {
    // desk-config.ts names jspurefix only in a comment; create-desk.ts imports Database as a type.
    const graph = importGraph('electron/core/desk/create-desk.ts');
    expect(runtimeSpecifiers(resolve(root, 'electron/core/desk/create-desk.ts'))).not.toContain('better-sqlite3');
    expect(graph.packages.has('better-sqlite3')).toBe(true); // through sqlite-journal.ts, a runtime import
  });
});
