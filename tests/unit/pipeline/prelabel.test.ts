// prelabelVideo through the app core on a generated video and the real CCFormer graph: windows, progress,
// revision 0 of every frame in the project, object-level edits, AVSS export accepted by the dataset validator,
// and cancellation of a long run.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { decodePng, validateAvssDataset } from '../../../src-main/dataset';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import type { EventMap, FrameRaster, PrelabelResult, ProjectState, VideoInfo } from '../../../src-main/shared/ipc-contract';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir();
let core: AppCore;
let video: VideoInfo;
let result: PrelabelResult;
const progress: EventMap['prelabel:progress'][] = [];

beforeAll(async () => {
  core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(join(tmp.dir, 'out')), modelPath: testModel(), workParent: tmp.dir });
  core.events.subscribe((channel, payload) => {
    if (channel === 'prelabel:progress') progress.push(payload as EventMap['prelabel:progress']);
  });
  // 12 s: two 10-s AVSS windows, the second ending at the video's end (window rule).
  video = await core.openVideo(makeVideo(join(tmp.dir, 'street-scene.mp4'), { seconds: 12, width: 176, height: 144 }));
  const jobId = core.startPrelabel(video.videoId, 'cpu');
  result = await core.jobDone(jobId);
}, EXPORT_TIMEOUT_MS);

afterAll(async () => {
  await core?.dispose();
  tmp.cleanup();
});

describe('prelabelVideo', () => {
  it('labels every sampled frame, at the documented instants', () => {
    expect(video.sampledFrames).toBe(12);
    expect(result.frames.map((f) => f.index)).toEqual([...Array(12).keys()]);
    // Frame k is the last frame at or before k + 15/16 s (10 fps here: pts k + 0.9).
    for (const f of result.frames) expect(f.timeSec).toBeCloseTo(f.index + 0.9, 5);
    for (const f of result.frames) expect(f.classes.length).toBe(f.pixelCounts.length);
    expect(result.provider).toMatchObject({ requested: 'cpu', active: 'cpu' });
    expect(result.model.framesPerClip).toBe(10);
  });

  it('reports progress per stage and window, ending at the total', () => {
    const stages = progress.map((p) => `${p.stage}:${p.done}`);
    expect(stages).toEqual(['decode:10', 'features:10', 'inference:10', 'masks:10', 'decode:12', 'features:12', 'inference:12', 'masks:12']);
    expect(progress.every((p) => p.total === 12 && p.videoId === video.videoId)).toBe(true);
  });

  it('stores one class-index mask per frame at display size, consistent with the stats', async () => {
    for (const f of result.frames) {
      const file = await core.mediaFile(`${video.videoId}/mask/${f.index}.png`);
      const png = decodePng(readFileSync(file!));
      expect([png.width, png.height, png.channels]).toEqual([176, 144, 1]);
      const counted = f.classes.map((c) => png.data.reduce((n, v) => n + (v === c ? 1 : 0), 0));
      expect(counted).toEqual(f.pixelCounts);
    }
    expect(await core.mediaFile(`${video.videoId}/thumb/11.jpg`)).toMatch(/11\.jpg$/);
    expect(await core.mediaFile(`${video.videoId}/mask/12.png`)).toBeNull();
    expect(await core.mediaFile(`${video.videoId}/../../etc/passwd`)).toBeNull();
  });

  it('wrote revision 0 of every frame into the project: one object per class found, sounding where seen', async () => {
    const state = (await core.handleRequest('project:state', {})) as { ok: true; value: ProjectState };
    const doc = state.value.manifest.videos.find((v) => v.id === video.videoId)!;
    const found = [...new Set(result.frames.flatMap((f) => f.classes))].sort((a, b) => a - b);
    expect(doc.objects.map((o) => o.classIndex).sort((a, b) => a - b)).toEqual(found);
    for (const frame of doc.frames) expect(frame).toMatchObject({ revision: 0, review: 'unreviewed', source: { kind: 'model', provider: 'cpu' } });
    for (const object of doc.objects) {
      expect(object.sounding).toEqual(result.frames.map((f) => f.classes.includes(object.classIndex)));
    }
    const raster = (await core.handleRequest('project:raster', { videoId: video.videoId, frame: 3 })) as { ok: true; value: FrameRaster };
    const ids = new Map(doc.objects.map((o) => [o.id, o.classIndex]));
    const counts = result.frames[3]!.classes.map((c) => raster.value.raster.data.reduce((n, id) => n + (ids.get(id) === c ? 1 : 0), 0));
    expect(counts).toEqual(result.frames[3]!.pixelCounts);
  });

  it('applies object-level binary edits with the old mask checks, and the mask view follows', async () => {
    const state = (await core.handleRequest('project:state', {})) as { ok: true; value: ProjectState };
    const id = state.value.manifest.videos[0]!.nextObjectId;
    const sounding = Array.from({ length: 12 }, () => true);
    const edited = await core.handleRequest('project:edit', {
      edits: [
        { op: 'object:add', videoId: video.videoId, object: { id, classIndex: 5, visible: true, locked: false, z: 99, sounding } },
        { op: 'pixels', videoId: video.videoId, frame: 3, rect: { x: 0, y: 0, w: 176, h: 10 }, after: new Uint16Array(1760).fill(id) },
      ],
    });
    expect(edited).toMatchObject({ ok: true, value: { frames: [{ videoId: video.videoId, frame: 3, revision: 1 }] } });
    const view = decodePng(readFileSync((await core.mediaFile(`${video.videoId}/mask/3.png`))!));
    expect(view.data.subarray(0, 1760).every((v) => v === 5)).toBe(true);
    expect(await core.handleRequest('project:edit', {
      edits: [{ op: 'pixels', videoId: video.videoId, frame: 3, rect: { x: 170, y: 0, w: 10, h: 1 }, after: new Uint16Array(10) }],
    })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('outside the 176x144 raster') } });
    expect(await core.handleRequest('project:edit', {
      edits: [{ op: 'pixels', videoId: video.videoId, frame: 12, rect: { x: 0, y: 0, w: 1, h: 1 }, after: new Uint16Array(1) }],
    })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('frame 12 does not exist') } });
  });

  it('exports an AVSS dataset the validator accepts, and re-exporting never doubles rows', async () => {
    const outDir = join(tmp.dir, 'out'); // main's choice (browser mode: --out); the renderer sends no path
    const first = await core.handleRequest('export:avss', { videoId: video.videoId, split: 'val' });
    expect(first).toMatchObject({ ok: true, value: { uids: ['street-scene_0_10000', 'street-scene_2000_12000'], rowsAdded: 2 } });
    expect(await validateAvssDataset(outDir)).toEqual([]);
    const edited = decodePng(readFileSync(join(outDir, 'v2', 'street-scene_0_10000', 'labels_semantic', '3.png')));
    expect(edited.data[0]).toBe(5);
    const again = await core.handleRequest('export:avss', { videoId: video.videoId, split: 'val' });
    expect(again).toMatchObject({ ok: true, value: { rowsAdded: 0 } });
    expect(readFileSync(join(outDir, 'metadata.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    expect(await validateAvssDataset(outDir)).toEqual([]);
  });

  it('an export that fails in its last window leaves the previous dataset exactly as it was', async () => {
    const outDir = join(tmp.dir, 'out');
    const before = readFileSync(join(outDir, 'metadata.csv'), 'utf8');
    const firstClip = readFileSync(join(outDir, 'v2', 'street-scene_0_10000', 'labels_semantic', '3.png'));
    // Frame 11 (window 2) cannot be copied: a folder stands where its JPEG is cached.
    const jpeg = (await core.mediaFile(`${video.videoId}/frame/11.jpg`))!;
    rmSync(jpeg);
    mkdirSync(jpeg);
    try {
      // Window 1 (0-10 s) stages fine, window 2 fails: nothing of this export may become visible.
      const failed = await core.handleRequest('export:avss', { videoId: video.videoId, split: 'test' });
      expect(failed).toMatchObject({ ok: false, error: { code: 'io', message: expect.stringMatching(/street-scene: frame 11: \S+11\.jpg: is a folder, not a file$/) } });
      expect(readFileSync(join(outDir, 'metadata.csv'), 'utf8')).toBe(before);
      expect(readFileSync(join(outDir, 'v2', 'street-scene_0_10000', 'labels_semantic', '3.png'))).toEqual(firstClip);
      expect(readdirSync(outDir).sort()).toEqual(['label2idx.json', 'metadata.csv', 'v2']);
      expect(await validateAvssDataset(outDir)).toEqual([]);
    } finally {
      rmSync(jpeg, { recursive: true });
    }
  });

  it('refuses a folder sent by the renderer: the export folder is main\'s choice', async () => {
    const res = await core.handleRequest('export:avss', { videoId: video.videoId, split: 'val', outDir: join(tmp.dir, 'elsewhere') });
    expect(res).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('outDir') } });
  });
});

describe('export:preview and export:dataset', () => {
  it('previews by the window rule, exports COCO into the folder main chose, or the one typed in browser mode', async () => {
    const request = { format: 'avss', split: { kind: 'all', split: 'test' } } as const;
    const preview = await core.handleRequest('export:preview', request);
    expect(preview).toMatchObject({ ok: true, value: { format: 'avss', clips: 2, frames: 20, splits: { train: 0, val: 0, test: 1 } } });
    const coco = await core.handleRequest('export:dataset', { format: 'coco', split: { kind: 'all', split: 'val' } });
    expect(coco).toMatchObject({ ok: true, value: { format: 'coco', clips: 1, frames: 12, outDir: join(tmp.dir, 'out') } });
    const written = JSON.parse(readFileSync(join(tmp.dir, 'out', 'annotations', 'instances_val.json'), 'utf8')) as { images: unknown[] };
    expect(written.images).toHaveLength(12);
    const typed = join(tmp.dir, 'typed');
    const withPath = await core.handleRequest('export:dataset', { ...request, label: 'v1s', outDir: typed });
    expect(withPath).toMatchObject({ ok: true, value: { outDir: typed, clips: 3, keys: ['street-scene_0_5000', 'street-scene_5000_10000', 'street-scene_7000_12000'] } });
  });
});

describe('cancellation', () => {
  it('stops a long run promptly and reports it as cancelled', async () => {
    const long = await core.openVideo(makeVideo(join(tmp.dir, 'long.mp4'), { seconds: 60, width: 64, height: 48, fps: 5 }));
    const events: string[] = [];
    const firstWindow = new Promise<void>((resolve) => core.events.subscribe((channel, payload) => {
      const p = payload as { jobId?: string; stage?: string; error?: { code: string } };
      if (channel === 'prelabel:progress') {
        events.push(`${p.stage}`);
        if (p.stage === 'decode') resolve();
      }
      if (channel === 'prelabel:error') events.push(`error:${p.error?.code}`);
    }));
    const jobId = core.startPrelabel(long.videoId, 'cpu');
    const done = core.jobDone(jobId).then(() => 'finished', (e: Error) => e.name);
    await firstWindow;
    const cancelledAt = performance.now();
    expect(await core.handleRequest('prelabel:cancel', { jobId })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await done).not.toBe('finished');
    expect(performance.now() - cancelledAt).toBeLessThan(3000);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.at(-1)).toBe('error:cancelled');
    // Far fewer than 6 windows x 4 stages ran.
    expect(events.filter((e) => e === 'masks').length).toBeLessThan(2);
    expect(await core.handleRequest('prelabel:result', { videoId: long.videoId })).toEqual({ ok: true, value: null });
  }, 30_000);
});
