// Schema versions: a fixture project of every version up to today's must exist and open (migrated where
// older), with its content intact; a version newer than the app, or one without a migration, is refused with
// the file and the field named.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_SCHEMA_VERSION } from '../../../src-main/shared/project-model';
import { MIGRATIONS, migrateManifest } from '../../../src-main/project/migrations';
import { openProject } from '../../../src-main/project/open-project';
import { repoRoot } from '../app-support/test-model';
import { makeTempDir } from '../app-support/test-media';
import { recorder } from './project-support';

const fixtures = join(repoRoot, 'tests', 'fixtures', 'projects');
const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
const versions = Array.from({ length: PROJECT_SCHEMA_VERSION }, (_, i) => i + 1);

describe('project schema migrations', () => {
  it.each(versions)('has a fixture of version %i, and a migration onward from it', (version) => {
    const manifest = join(fixtures, `v${version}`, 'project.json');
    expect(existsSync(manifest), `add the fixture ${manifest} (a project saved by version ${version})`).toBe(true);
    expect((JSON.parse(readFileSync(manifest, 'utf8')) as { schemaVersion: number }).schemaVersion).toBe(version);
    if (version < PROJECT_SCHEMA_VERSION) expect(MIGRATIONS[version], `MIGRATIONS[${version}]`).toBeTypeOf('function');
  });

  it.each(versions)('opens the version %i fixture with its document intact', async (version) => {
    const dir = join(tmp.dir, `v${version}`);
    cpSync(join(fixtures, `v${version}`), dir, { recursive: true });
    const project = await openProject(dir, { listener: recorder() });
    try {
      const state = project.state();
      expect(state.manifest.schemaVersion).toBe(PROJECT_SCHEMA_VERSION);
      const video = state.manifest.videos[0]!;
      // Every fixture holds the same small document: a dog sounding in seconds 0 and 2, rows 3-4 of frame 1.
      expect(video.objects.map((o) => [o.id, o.classIndex, o.name, o.sounding])).toEqual([[1, 7, 'dog', [true, false, true]]]);
      expect(video.frames.map((f) => f.review)).toEqual(['unreviewed', 'approved', 'unreviewed']);
      const { raster } = await project.raster(video.id, 1);
      expect([...raster.data].map((v, i) => (v === 1 ? Math.floor(i / 16) : -1)).filter((r) => r >= 0)).toEqual([...Array(16).fill(3), ...Array(16).fill(4)]);
      expect(state.missingVideos).toEqual([{ videoId: video.id, path: '/videos/fixture.mp4', problem: 'missing' }]);
    } finally {
      await project.close();
    }
  });

  it('refuses a manifest from a newer app, naming the file and field', async () => {
    const dir = join(tmp.dir, 'future');
    cpSync(join(fixtures, 'v1'), dir, { recursive: true });
    for (const name of ['project.json', 'project.json.bak']) {
      const doc = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, name), JSON.stringify({ ...doc, schemaVersion: PROJECT_SCHEMA_VERSION + 1 }));
    }
    await expect(openProject(dir, { listener: recorder() })).rejects.toThrow(
      `${join(dir, 'project.json')}: schemaVersion: ${PROJECT_SCHEMA_VERSION + 1} is newer than this app understands`,
    );
    expect(() => migrateManifest({ schemaVersion: 0 })).toThrow('schemaVersion: must be a positive integer');
  });
});
