// Moving between projects through the API: recent projects (settings file, newest first, one entry per
// folder), the untitled project video:open makes when none is open (listed, so it can be found again), an empty
// untitled project removed on close, and project:flush answering saved.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import type { ProjectState, RecentProject } from '../../../src-main/shared/ipc-contract';
import { ProjectSession } from '../../../src-main/project/project-session';
import { MediaCache } from '../../../src-main/session/media-cache';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir();
const dataDir = join(tmp.dir, 'data');
let core: AppCore;
let clip: string;

beforeAll(async () => {
  clip = makeVideo(join(tmp.dir, 'bird.mp4'), { seconds: 2, width: 32, height: 32 });
  core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(tmp.dir), workParent: tmp.dir, dataDir });
}, 60_000);
afterAll(async () => {
  await core?.dispose();
  tmp.cleanup();
});

const value = <T>(result: unknown): T => {
  expect(result).toMatchObject({ ok: true });
  return (result as { value: T }).value;
};

describe('project session', () => {
  it('makes an untitled project for a video opened with none open, and lists it', async () => {
    const video = value<{ videoId: string }>(await core.handleRequest('video:open', { path: clip }));
    const state = value<ProjectState>(await core.handleRequest('project:state', {}));
    expect(state).toMatchObject({ untitled: true, manifest: { videos: [{ id: video.videoId }] } });
    expect(state.dir.startsWith(join(dataDir, 'untitled'))).toBe(true);
    const recent = value<RecentProject[]>(await core.handleRequest('project:recent', {}));
    expect(recent[0]).toMatchObject({ dir: state.dir, name: expect.stringMatching(/^Untitled \(untitled-/) });
    // The same file opened again keeps its id.
    expect(value<{ videoId: string }>(await core.handleRequest('video:open', { path: clip })).videoId).toBe(video.videoId);
  });

  it('lists projects newest first, once each; reopening shows the flushed edit', async () => {
    const a = join(tmp.dir, 'a');
    const b = join(tmp.dir, 'b');
    value(await core.handleRequest('project:create', { path: a, name: 'Alpha' }));
    const video = value<{ videoId: string }>(await core.handleRequest('video:open', { path: clip }));
    value(await core.handleRequest('project:edit', { edits: [{ op: 'frame:review', videoId: video.videoId, frame: 0, review: 'approved' }] }));
    expect(value(await core.handleRequest('project:flush', {}))).toEqual({ revision: 2, save: 'saved' });
    value(await core.handleRequest('project:create', { path: b }));
    value(await core.handleRequest('project:open', { path: a }));
    const recent = value<RecentProject[]>(await core.handleRequest('project:recent', {}));
    expect(recent.slice(0, 2).map((r) => [r.dir, r.name])).toEqual([[a, 'Alpha'], [b, 'b']]);
    expect(recent.filter((r) => r.dir === a)).toHaveLength(1);
    const state = value<ProjectState>(await core.handleRequest('project:state', {}));
    expect(state).toMatchObject({ revision: 2, recovered: [], manifest: { videos: [{ frames: [{ review: 'approved' }, { review: 'unreviewed' }] }] } });
    expect(await core.handleRequest('project:create', { path: a })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('already holds a project') } });
  });

  it('removes an untitled project that never got a video when it is closed', async () => {
    value(await core.handleRequest('project:close', {}));
    expect(value(await core.handleRequest('project:close', {}))).toEqual({ closed: false });
    // A failed video:open (not a video) makes no untitled project at all.
    const untitledBefore = readdirSync(join(dataDir, 'untitled')).length;
    expect((await core.handleRequest('video:open', { path: join(tmp.dir, 'missing.mp4') })).ok).toBe(false);
    expect(readdirSync(join(dataDir, 'untitled')).length).toBe(untitledBefore);
    const media = await MediaCache.create(tmp.dir);
    const session = new ProjectSession(dataDir, media, { saved: () => {}, notice: () => {}, recovered: () => {} });
    const empty = await session.ensure();
    expect(existsSync(empty.dir)).toBe(true);
    await session.close();
    expect(existsSync(empty.dir)).toBe(false);
    expect((await session.recent.list()).some((r) => r.dir === empty.dir)).toBe(false);
    await media.dispose();
    expect(existsSync(join(tmp.dir, 'a', 'project.json'))).toBe(true);
  });

  it('takes back a deleted object with its id and pixels (the undo of a delete), refuses an id that is present', async () => {
    value(await core.handleRequest('project:create', { path: join(tmp.dir, 'undo-delete') }));
    const { videoId } = value<{ videoId: string }>(await core.handleRequest('video:open', { path: clip }));
    const bird = { id: 1, classIndex: 4, visible: true, locked: false, z: 0, sounding: [true, true] };
    const pixels = (id: number) => ({ op: 'pixels' as const, videoId, frame: 0, rect: { x: 2, y: 3, w: 2, h: 1 }, after: new Uint16Array([id, id]) });
    value(await core.handleRequest('project:edit', { edits: [{ op: 'object:add', videoId, object: bird }, pixels(1)] }));
    value(await core.handleRequest('project:edit', { edits: [pixels(0), { op: 'object:delete', videoId, objectId: 1 }] }));
    // The renderer's undo sends the object table first, then the pixel patches.
    value(await core.handleRequest('project:edit', { edits: [{ op: 'object:add', videoId, object: bird }, pixels(1)] }));
    const { raster } = value<{ raster: { width: number; data: Uint16Array } }>(await core.handleRequest('project:raster', { videoId, frame: 0 }));
    expect([...raster.data.subarray(3 * raster.width + 1, 3 * raster.width + 5)]).toEqual([0, 1, 1, 0]);
    expect(await core.handleRequest('project:edit', { edits: [{ op: 'object:add', videoId, object: bird }] }))
      .toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('object 1 already exists') } });
    // A new object still takes the next id, which the re-added one did not lower.
    value(await core.handleRequest('project:edit', { edits: [{ op: 'object:add', videoId, object: { ...bird, id: 2 } }] }));
    const state = value<ProjectState>(await core.handleRequest('project:state', {}));
    expect(state.manifest.videos[0]).toMatchObject({ nextObjectId: 3, objects: [{ id: 1 }, { id: 2 }] });
  });
});
