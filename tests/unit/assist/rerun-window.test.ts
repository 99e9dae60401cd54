// Re-running the model on one window (assist:rerun) through the app core with a real project, the bundled model
// and the bundled sample (one 10-s window): frames the annotator approved keep their state and mask, a
// locked object keeps its sounding flags, and an unlocked object's flags on unreviewed frames follow the model again.
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore } from '../../../src-main/ipc/app-core';
import { bundledModelPath, sampleVideoPath } from '../../../src-main/pipeline/app-paths';
import type { ProjectState } from '../../../src-main/shared/ipc-contract';
import { makeTempDir } from '../app-support/test-media';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

it('re-runs one window, keeping approved frames and locked objects', async () => {
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(tmp.dir), modelPath: bundledModelPath(), workParent: tmp.dir });
  try {
    await core.openProject(join(tmp.dir, 'proj'), { create: true });
    const video = await core.openVideo(sampleVideoPath()!);
    const videoId = video.videoId;
    await core.jobDone(core.startPrelabel(videoId, 'cpu'));
    const state = async (): Promise<ProjectState> => {
      const r = await core.handleRequest('project:state', {});
      if (!r.ok) throw new Error(r.error.message);
      return r.value as ProjectState;
    };
    const model = (await state()).manifest.videos[0]!;
    expect(model.objects.length).toBeGreaterThanOrEqual(2);
    const [locked, free] = model.objects as [typeof model.objects[number], typeof model.objects[number]];
    const flip = (o: typeof locked): boolean[] => o.sounding.map((v, s) => (s === 5 ? !v : v));
    const edit = await core.handleRequest('project:edit', {
      edits: [
        { op: 'frame:review', videoId, frame: 2, review: 'approved' },
        { op: 'object:update', videoId, objectId: locked.id, changes: { locked: true, sounding: flip(locked) } },
        { op: 'object:update', videoId, objectId: free.id, changes: { sounding: flip(free) } },
      ],
    });
    expect(edit.ok).toBe(true);
    const rerun = await core.handleRequest('assist:rerun', { videoId, frame: 4, device: 'cpu' });
    if (!rerun.ok) throw new Error(rerun.error.message);
    const result = await core.jobDone((rerun.value as { jobId: string }).jobId);
    expect(result.frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const after = (await state()).manifest.videos[0]!;
    expect(after.frames[2]).toEqual({ ...model.frames[2], review: 'approved' });
    expect(after.objects.find((o) => o.id === locked.id)!.sounding).toEqual(flip(locked));
    expect(after.objects.find((o) => o.id === free.id)!.sounding).toEqual(free.sounding);
  } finally {
    await core.dispose();
  }
}, 180_000);
