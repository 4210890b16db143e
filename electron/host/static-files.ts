import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { securityHeaders } from './security-policy';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/**
 * Maps a URL path to a file inside `root`, or undefined when it cannot be one: not decodable,
 * NUL bytes, backslashes, dot segments, or anything that resolves outside the root.
 * `/` is index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '.' || s === '..')) return undefined;
  if (segments.length === 0 || decoded.endsWith('/')) segments.push('index.html');
  const base = resolve(root);
  const file = resolve(base, ...segments);
  if (!file.startsWith(base + sep)) return undefined;
  return file;
}

export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Serves GET/HEAD for the built renderer. Hashed assets are cached for good; everything else is revalidated. */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = securityHeaders();
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('method not allowed\n');
    return;
  }
  const urlPath = (req.url ?? '/').split('?', 1)[0]!.split('#', 1)[0]!;
  const file = resolveStaticPath(root, urlPath);
  const found = file === undefined ? undefined : await regularFileInside(root, file);
  if (found === undefined) {
    res.writeHead(file === undefined ? 400 : 404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(file === undefined ? 'bad path\n' : 'not found\n');
    return;
  }
  const immutable = urlPath.startsWith('/assets/');
  res.writeHead(200, {
    ...headers,
    'Content-Type': contentTypeOf(found.path),
    'Content-Length': String(found.size),
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(found.path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The file's real path and size if it is a regular file whose real path (symlinks followed) is still inside the root. */
async function regularFileInside(root: string, file: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!realFile.startsWith(realRoot + sep)) return undefined;
    const info = await stat(realFile);
    return info.isFile() ? { path: realFile, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
