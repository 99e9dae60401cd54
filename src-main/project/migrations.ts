/**
 * Manifest migrations: `MIGRATIONS[n]` turns a version-n manifest (parsed JSON) into version n+1. Opening runs
 * every step from the file's version up to PROJECT_SCHEMA_VERSION, then validates against today's schema; the
 * file on disk is rewritten (atomically, old copy kept as project.json.bak) by the next save.
 * Adding a version: bump PROJECT_SCHEMA_VERSION, add MIGRATIONS[old], and add a fixture
 * tests/fixtures/projects/v{old}/ (a test fails while any earlier version lacks one).
 */
import { PROJECT_SCHEMA_VERSION } from '../shared/project-model';

export type Migration = (manifest: Record<string, unknown>) => Record<string, unknown>;

/** Version 1 is the first: nothing to migrate yet. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export class MigrationError extends Error {}

/** Brings a parsed manifest of any known version to the current one; throws MigrationError otherwise. */
export function migrateManifest(input: unknown): { manifest: unknown; from: number } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new MigrationError('is not a JSON object');
  let manifest = input as Record<string, unknown>;
  const from = manifest['schemaVersion'];
  if (typeof from !== 'number' || !Number.isInteger(from) || from < 1) throw new MigrationError('schemaVersion: must be a positive integer');
  if (from > PROJECT_SCHEMA_VERSION) {
    throw new MigrationError(`schemaVersion: ${from} is newer than this app understands (${PROJECT_SCHEMA_VERSION}); update the app`);
  }
  for (let version = from; version < PROJECT_SCHEMA_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step) throw new MigrationError(`schemaVersion: no migration from version ${version}`);
    manifest = { ...step(manifest), schemaVersion: version + 1 };
  }
  return { manifest, from };
}
