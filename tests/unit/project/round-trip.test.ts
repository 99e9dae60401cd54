// Round trip through the app core (the API the UI and CLI use): pre-label a video into a project, export, close;
// reopen in a fresh core (new media cache, new process state), export again: every file byte-identical. Then a
// second instance opening the same project while the first holds it gets it read-only, says why, and can still
// export; and `project:relink` accepts the same file moved, refusing a different one.
import { copyFileSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import type { EventMap, ProjectState } from '../../../src-main/shared/ipc-contract';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir();
const projectDir = join(tmp.dir, 'birds');
let clip: string;

function files(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.set(relative(root, path), readFileSync(path));
    }
  };
  walk(root);
  return out;
}

const core = (): Promise<AppCore> => createAppCore({
  mode: 'browser', dialogs: browserDialogs(tmp.dir), modelPath: testModel(), workParent: tmp.dir,
});

beforeAll(() => {
  clip = makeVideo(join(tmp.dir, 'street.mp4'), { seconds: 12, width: 96, height: 64 });
}, EXPORT_TIMEOUT_MS);
afterAll(() => tmp.cleanup());

describe('project round trip', () => {
  it('pre-label -> export -> close -> reopen -> export is byte-identical', async () => {
    const first = await core();
    let before: Map<string, Buffer>;
    try {
      await first.openProject(projectDir, { create: true });
      const video = await first.openVideo(clip);
      await first.jobDone(first.startPrelabel(video.videoId, 'cpu'));
      const edit = await first.handleRequest('project:edit', {
        edits: [{ op: 'frame:review', videoId: video.videoId, frame: 4, review: 'approved' }],
      });
      expect(edit.ok).toBe(true);
      await first.exportAvss(join(tmp.dir, 'before'), 'val');
      before = files(join(tmp.dir, 'before'));
    } finally {
      await first.dispose();
    }
    const second = await core();
    try {
      const state = await second.openProject(projectDir);
      expect(state.recovered).toEqual([]);
      expect(state.manifest.videos[0]!.frames[4]!.review).toBe('approved');
      expect(state.manifest.videos[0]!.frames.every((f) => f.source.kind === 'model')).toBe(true);
      await second.exportAvss(join(tmp.dir, 'after'), 'val');
    } finally {
      await second.dispose();
    }
    const after = files(join(tmp.dir, 'after'));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(before.size).toBeGreaterThan(20);
    for (const [name, bytes] of before) expect(after.get(name)!.equals(bytes), name).toBe(true);
  }, EXPORT_TIMEOUT_MS);

  it('a second instance gets the project read-only and says why; its edits are refused', async () => {
    const owner = await core();
    const other = await core();
    try {
      await owner.openProject(projectDir);
      const notices: EventMap['project:notice'][] = [];
      other.events.subscribe((channel, payload) => {
        if (channel === 'project:notice') notices.push(payload as EventMap['project:notice']);
      });
      const opened = await other.handleRequest('project:open', { path: projectDir });
      const state = (opened as { ok: true; value: ProjectState }).value;
      expect(state.readOnly).toMatchObject({ reason: expect.stringContaining(`pid ${process.pid}`), lock: { pid: process.pid } });
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'read-only', message: expect.stringContaining('read-only') }));
      const videoId = state.manifest.videos[0]!.id;
      expect(await other.handleRequest('project:edit', { edits: [{ op: 'frame:review', videoId, frame: 0, review: 'approved' }] }))
        .toMatchObject({ ok: false, error: { code: 'unsupported', message: expect.stringContaining('read-only') } });
    } finally {
      await other.dispose();
      await owner.dispose();
    }
  }, EXPORT_TIMEOUT_MS);

  it('relinks a moved video by fingerprint and refuses a different file', async () => {
    const moved = join(tmp.dir, 'moved-street.mp4');
    renameSync(clip, moved);
    const app = await core();
    try {
      const notices: EventMap['project:notice'][] = [];
      app.events.subscribe((channel, payload) => {
        if (channel === 'project:notice') notices.push(payload as EventMap['project:notice']);
      });
      const state = await app.openProject(projectDir);
      const videoId = state.manifest.videos[0]!.id;
      expect(state.missingVideos).toEqual([{ videoId, path: clip, problem: 'missing' }]);
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'relink', videoId }));
      const other = makeVideo(join(tmp.dir, 'other.mp4'), { seconds: 2, width: 32, height: 32 });
      expect(await app.handleRequest('project:relink', { videoId, path: other }))
        .toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('is not the project\'s video street.mp4') } });
      const relinked = await app.handleRequest('project:relink', { videoId, path: moved });
      expect(relinked).toMatchObject({ ok: true, value: { missingVideos: [], manifest: { videos: [{ file: { path: moved } }] } } });
      expect(await app.mediaFile(`${videoId}/frame/0.jpg`)).toMatch(/0\.jpg$/);
    } finally {
      await app.dispose();
      copyFileSync(moved, clip);
    }
  }, EXPORT_TIMEOUT_MS);
});
