import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Result } from '../../../shared/contract/result';
import { fail, ok } from '../../../shared/contract/result';
import type { SaveWorkspaceRequest, StoredWorkspace } from '../../../shared/contract/workspace';
import { describeIssues, workspaceSchema } from '../../../shared/contract/workspace';
import type { Logger } from '../log/logger';

const fileSchema = z.object({ revision: z.number().int().min(1), workspace: workspaceSchema }).strict();

/**
 * A person's workspace (layouts, attention settings, popped-out windows) in one JSON file: the
 * Electron shell keeps it in its user-data folder, the headless host in its data folder. A save is a
 * new file renamed over the old one (fsynced first), so a crash leaves the old or the new, never half
 * of one. A file that fails validation is not used (the log says why) and is replaced by the next save.
 */
export class WorkspaceStore {
  constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {}

  read(): Result<StoredWorkspace> {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return ok({ workspace: null, revision: 0 });
      return this.failed('read', error);
    }
    let parsed: z.ZodSafeParseResult<z.infer<typeof fileSchema>>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(text));
    } catch {
      this.log.warn('workspace file is not JSON: the defaults are used until the next save', { path: this.path });
      return ok({ workspace: null, revision: 0 });
    }
    if (!parsed.success) {
      this.log.warn('workspace file is not valid: the defaults are used until the next save', { path: this.path, problem: describeIssues(parsed.error) });
      return ok({ workspace: null, revision: 0 });
    }
    return ok(parsed.data);
  }

  /** Saves if the stored revision is still `baseRevision`; else CONFLICT (another window saved meanwhile). */
  save(request: SaveWorkspaceRequest): Result<{ revision: number }> {
    const current = this.read();
    if (!current.ok) return current;
    if (current.value.revision !== request.baseRevision) {
      return fail('CONFLICT', `the workspace was saved meanwhile (revision ${current.value.revision}, this save was based on ${request.baseRevision}): reload it and try again`);
    }
    const revision = current.value.revision + 1;
    try {
      writeAtomically(this.path, JSON.stringify({ revision, workspace: request.workspace }));
    } catch (error) {
      return this.failed('save', error);
    }
    return ok({ revision });
  }

  private failed(what: string, error: unknown): Result<never> {
    this.log.error(`workspace ${what} failed`, { path: this.path, error: String(error) });
    return fail('INTERNAL', `could not ${what} the workspace: ${(error as Error).message}`);
  }
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncFolder(dirname(path));
}

/** Makes the rename itself durable (where the platform lets a folder be opened: not on Windows). */
function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // best effort: the file's own content was synced before the rename
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
