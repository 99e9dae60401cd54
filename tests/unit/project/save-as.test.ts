// Save as on real folders: the copy has everything but the lock, a target that is taken or inside the project is
// refused with the path named, a copy that fails half way leaves no target and the source open, the untitled
// project is removed once its copy is open, recent projects list the copy, and later edits land in the copy only.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore } from '../../../src-main/ipc/app-core';
import type { RecentEntry } from '../../../src-main/shared/ipc-contract';
import type { Edit, ProjectManifest } from '../../../src-main/shared/project-model';
import { ProjectSession } from '../../../src-main/project/project-session';
import { copyProjectFolder, type CopyFileStep } from '../../../src-main/project/save-as';
import { MediaCache } from '../../../src-main/session/media-cache';
import { makeTempDir } from '../app-support/test-media';
import { object, videoDoc } from './project-support';

const tmp = makeTempDir('avs-save-as-');
let dataDir: string;
let media: MediaCache;
let session: ProjectSession;
let run = 0;

beforeEach(async () => {
  run++;
  dataDir = join(tmp.dir, `data-${run}`);
  media = await MediaCache.create(tmp.dir);
  session = new ProjectSession(dataDir, media, { saved: () => {}, notice: () => {}, recovered: () => {} });
});
afterEach(async () => {
  await session.close();
  await media.dispose();
});
afterAll(() => tmp.cleanup());

const place = (name: string): string => join(tmp.dir, `${name}-${run}`);
const manifestOf = (dir: string): ProjectManifest => JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as ProjectManifest;
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
const approve = (frame: number): Edit => ({ op: 'frame:review', videoId: 'v1', frame, review: 'approved' });

/** A project with one video, one object and a painted mask on frame 0, compacted into its files. */
async function projectWithMask(dir?: string): Promise<string> {
  const project = dir ? (await session.create(dir), session.require()) : await session.ensure();
  await project.commit([{ op: 'video:add', video: videoDoc('v1', 3) }]);
  await project.commit([
    { op: 'object:add', videoId: 'v1', object: object(1, 4, 3) },
    { op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 1, y: 1, w: 2, h: 1 }, after: new Uint16Array([1, 1]) },
  ]);
  await project.flush();
  return project.dir;
}

/** No temp folder of a failed copy left beside `target`. */
function noTempBeside(target: string): void {
  expect(readdirSync(dirname(target)).filter((n) => n.startsWith('.avs-tmp-'))).toEqual([]);
}

describe('save as', () => {
  it('copies everything but the lock, opens the copy under the folder name and releases the source', async () => {
    const source = await projectWithMask(place('birds'));
    writeFileSync(join(source, '.avs-tmp-project.json-1-dead'), 'left by a crash');
    const target = place('birds-copy');
    const copied: string[] = [];
    const state = await session.saveAs(target, { copyFile: async (from, to) => { copied.push(relative(source, from)); await copyFile(from, to); } });

    expect(state).toMatchObject({ dir: target, untitled: false, readOnly: null, manifest: { name: basename(target), videos: [{ id: 'v1' }] } });
    expect(copied).not.toContain('.avs-lock');
    expect(copied.some((f) => f.startsWith('.avs-tmp-'))).toBe(false);
    expect(copied).toContain(join('masks', 'v1', '0.png'));
    // The copy's lock is the copy's own (taken on open); the source's was released when it closed.
    expect(existsSync(join(target, '.avs-lock'))).toBe(true);
    expect(existsSync(join(source, '.avs-lock'))).toBe(false);
    expect(readFileSync(join(target, 'masks', 'v1', '0.png'))).toEqual(readFileSync(join(source, 'masks', 'v1', '0.png')));
    expect(manifestOf(source).name).toBe(basename(source));
    const { raster } = await session.require().raster('v1', 0);
    expect([...raster.data.subarray(9, 11)]).toEqual([1, 1]);
    noTempBeside(target);
  });

  it('builds the copy in a temp folder beside the target and renames it into an empty folder already there', async () => {
    const source = place('src-folder');
    mkdirSync(join(source, 'masks', 'v1'), { recursive: true });
    writeFileSync(join(source, 'masks', 'v1', '0.png'), 'png');
    writeFileSync(join(source, '.avs-lock'), '{"pid":1}');
    const target = place('empty-target');
    mkdirSync(target);
    const seen: string[] = [];
    await copyProjectFolder(source, target, { ...manifestOf(await projectWithMask(place('for-manifest'))) }, {
      copyFile: async (from, to) => { seen.push(basename(dirname(dirname(dirname(to))))); await copyFile(from, to); },
    });
    expect(seen.every((n) => n.startsWith('.avs-tmp-empty-target'))).toBe(true);
    expect(files(target)).toEqual([join('masks', 'v1', '0.png'), 'project.json']);
    expect(manifestOf(target).name).toBe(basename(target));
  });

  it('refuses a target that holds something, is a file or lies inside the project; the source stays open', async () => {
    const source = await projectWithMask(place('keep'));
    const taken = place('taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'notes.txt'), 'mine');
    const aFile = join(tmp.dir, `file-${run}.txt`);
    writeFileSync(aFile, 'x');
    await expect(session.saveAs(taken)).rejects.toThrow(`${taken} is not empty: choose a new or empty folder to save the project in`);
    await expect(session.saveAs(aFile)).rejects.toThrow(`${aFile} is a file`);
    await expect(session.saveAs(join(source, 'inner'))).rejects.toThrow(`${join(source, 'inner')} is inside the project being saved (${source})`);
    await expect(session.saveAs(source)).rejects.toThrow('is inside the project being saved');
    expect(readdirSync(taken)).toEqual(['notes.txt']);
    expect(existsSync(join(source, 'inner'))).toBe(false);
    expect(session.require().dir).toBe(source);
    await session.require().commit([approve(1)]);
    await session.require().flush();
    expect(manifestOf(source).videos[0]!.frames[1]!.review).toBe('approved');
  });

  it('a copy that fails half way leaves no target, no temp folder, and the source open and writable', async () => {
    const source = await projectWithMask(place('fragile'));
    const before = files(source);
    const target = join(place('deep'), 'copy');
    let calls = 0;
    const failing: CopyFileStep = async (from, to) => {
      if (++calls === 2) throw Object.assign(new Error(`ENOSPC: no space left on device, copyfile '${from}' -> '${to}'`), { code: 'ENOSPC' });
      await copyFile(from, to);
    };
    const error = await session.saveAs(target, { copyFile: failing }).then(() => null, (err: Error) => err);
    expect(error?.message).toMatch(new RegExp(`^Save as ${target} failed \\(.+: disk full\\); ${source} is unchanged and still open$`));
    expect(error?.message).not.toContain('ENOSPC');
    expect(existsSync(target)).toBe(false);
    noTempBeside(target);
    expect(files(source)).toEqual(before);
    expect(session.require().dir).toBe(source);
    expect(existsSync(join(source, '.avs-lock'))).toBe(true);
    await session.require().commit([approve(2)]);
    await session.require().flush();
    expect(manifestOf(source).videos[0]!.frames[2]!.review).toBe('approved');
  });

  it('removes the untitled source once its copy is open, and lists the copy first in recent projects', async () => {
    const untitled = await projectWithMask();
    expect(untitled.startsWith(join(dataDir, 'untitled'))).toBe(true);
    expect((await session.recent.list()).map((r) => r.dir)).toContain(untitled);
    const target = place('rescued');
    await session.saveAs(target);
    expect(existsSync(untitled)).toBe(false);
    const recent = await session.recent.list();
    expect(recent[0]).toMatchObject({ dir: target, name: basename(target) });
    expect(recent.some((r) => r.dir === untitled)).toBe(false);
  });

  it('puts edits made after (and during) save as into the copy only', async () => {
    const source = await projectWithMask(place('before'));
    const target = place('after');
    const saving = session.saveAs(target);
    // Sent while the copy is being made: it must wait and land in the copy, not in the folder being left.
    const during = session.ready().then((p) => p.commit([approve(1)]));
    await saving;
    await during;
    await session.require().commit([approve(2)]);
    await session.require().flush();
    await session.close();
    const copy = manifestOf(target).videos[0]!.frames.map((f) => f.review);
    const left = manifestOf(source).videos[0]!.frames.map((f) => f.review);
    expect(copy).toEqual(['edited', 'approved', 'approved']);
    expect(left).toEqual(['edited', 'unreviewed', 'unreviewed']);
    const reopened = await session.open(source);
    expect(reopened.recovered).toEqual([]);
    expect(reopened.manifest.videos[0]!.frames.map((f) => f.review)).toEqual(left);
  });
});

describe('project:save-as through the API (browser mode)', () => {
  it('needs a typed folder, saves there, and the recent list marks a vanished project and forgets it', async () => {
    const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(tmp.dir), workParent: tmp.dir, dataDir: join(tmp.dir, 'api-data') });
    try {
      expect(await core.handleRequest('project:save-as', { path: place('nothing-open') })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('no project is open') } });
      expect((await core.handleRequest('project:create', { path: place('api-src') })).ok).toBe(true);
      expect(await core.handleRequest('project:save-as', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      const saved = await core.handleRequest('project:save-as', { path: place('api-copy') });
      expect(saved).toMatchObject({ ok: true, value: { dir: place('api-copy') } });
      expect(await core.handleRequest('project:state', {})).toMatchObject({ ok: true, value: { dir: place('api-copy') } });
      const listed = (await core.handleRequest('project:recent', {})) as { ok: true; value: RecentEntry[] };
      expect(listed.value.slice(0, 2).map((r) => [r.dir, r.missing])).toEqual([[place('api-copy'), false], [place('api-src'), false]]);
      rmSync(place('api-src'), { recursive: true });
      const after = (await core.handleRequest('project:recent', {})) as { ok: true; value: RecentEntry[] };
      expect(after.value.find((r) => r.dir === place('api-src'))).toMatchObject({ missing: true });
      const forgotten = (await core.handleRequest('project:forget-recent', { path: place('api-src') })) as { ok: true; value: RecentEntry[] };
      expect(forgotten.value.map((r) => r.dir)).toEqual([place('api-copy')]);
    } finally {
      await core.dispose();
    }
  });
});
