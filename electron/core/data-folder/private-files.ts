import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * What the desk writes (orders, fills, FIX messages, backups, tokens) is readable by the user who
 * runs it and nobody else: folders 0700, files 0600. A host sets the process umask to 077 at start,
 * so every file the process or its children create is private (SQLite's -wal and -shm, the
 * simulator's state, anything added later); the helpers below also set modes explicitly where the
 * desk creates its own files, for code that runs without that umask (tests, tools).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_UMASK = 0o077;

const POSIX = process.platform !== 'win32';

export function usePrivateUmask(): void {
  if (POSIX) process.umask(PRIVATE_UMASK);
}

/** Creates `dir` (and its parents) if missing and makes it 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (POSIX) chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Makes an existing file 0600 by its path. Never by opening it: closing any descriptor of a file
 * drops every POSIX lock this process holds on it, SQLite's included.
 */
export function makePrivate(path: string): void {
  if (POSIX) chmodSync(path, PRIVATE_FILE_MODE);
}

/** Tightens a folder the desk owns, and everything in it: folders 0700, files 0600. Symbolic links are left alone. */
export function tightenTree(dir: string): void {
  if (!POSIX) return;
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) tightenTree(path);
    else if (entry.isFile() && (lstatSync(path).mode & 0o077) !== 0) chmodSync(path, PRIVATE_FILE_MODE);
  }
}

/** True when a group or other permission bit is set on `path` (always false on Windows). */
export function isReadableByOthers(path: string): boolean {
  return POSIX && (lstatSync(path).mode & 0o077) !== 0;
}

/** Writes `text` to `path` as one step for a reader: a private temporary file, fsynced, renamed over it, the folder fsynced. */
export function writePrivateFileAtomic(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', PRIVATE_FILE_MODE);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    makePrivate(temporary);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  syncFolder(dirname(path));
}

/** Makes a rename or an unlink in `dir` durable (a no-op where folders cannot be opened: Windows). */
export function syncFolder(dir: string): void {
  if (!POSIX) return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
