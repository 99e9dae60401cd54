/**
 * Reading and writing project.json. A read parses, migrates (migrations.ts) and validates against the one
 * manifest schema; any failure names the file and the field. A write keeps the manifest it replaces as
 * project.json.bak (the last good copy), both atomically (temp + fsync + rename + directory fsync).
 */
import { errnoOf, FileStepError } from '../util/fs-errors';
import { readRegularIfExists } from '../util/regular-file';
import * as v from 'valibot';
import { describeIssue, ProjectManifestSchema, type ProjectManifest } from '../shared/project-model';
import { atomicWriteFile } from '../util/atomic-write';
import { backupPath, manifestPath } from './layout';
import { MigrationError, migrateManifest } from './migrations';

/** A manifest that cannot be used; `problem` says why (with the field), `file` which file. */
export class ManifestError extends Error {
  constructor(readonly file: string, readonly problem: string) {
    super(`${file}: ${problem}`);
  }
}

export interface ReadManifest {
  manifest: ProjectManifest;
  /** The schema version the file had (lower than today's when it was migrated). */
  fromVersion: number;
}

/** Parses manifest text; `name` is how errors name the file (relative to the project folder). */
export function parseManifest(text: string, name: string): ReadManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(name, `not valid JSON (${(err as Error).message})`);
  }
  let migrated: { manifest: unknown; from: number };
  try {
    migrated = migrateManifest(json);
  } catch (err) {
    if (err instanceof MigrationError) throw new ManifestError(name, err.message);
    throw err;
  }
  const result = v.safeParse(ProjectManifestSchema, migrated.manifest);
  if (!result.success) throw new ManifestError(name, describeIssue(result.issues[0]));
  return { manifest: result.output, fromVersion: migrated.from };
}

/** Reads `file` (project.json or the backup); a missing or unreadable file is a ManifestError too. */
export async function readManifestFile(file: string, name: string): Promise<ReadManifest> {
  let text: string;
  try {
    // A FIFO or folder named project.json is refused at once, never read (a blocked read would freeze the server).
    const bytes = await readRegularIfExists(file, 'project');
    if (!bytes) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    text = bytes.toString('utf8');
  } catch (err) {
    const code = errnoOf(err);
    throw new ManifestError(name, code === 'ENOENT' ? 'is missing' : err instanceof FileStepError ? err.message.slice(file.length + 2) : `cannot be read (${code})`);
  }
  return parseManifest(text, name);
}

export function serializeManifest(manifest: ProjectManifest): string {
  return `${JSON.stringify(manifest)}\n`;
}

/** Writes a new manifest; `previous` (the text now in project.json, if good) becomes project.json.bak first. */
export async function writeManifest(dir: string, text: string, previous: string | null): Promise<void> {
  if (previous !== null) await atomicWriteFile(backupPath(dir), previous);
  await atomicWriteFile(manifestPath(dir), text);
}
