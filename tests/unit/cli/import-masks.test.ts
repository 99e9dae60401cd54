/**
 * import-masks (CLI) and masks:import (IPC) on a real generated video and real PNG files: palette, class-index
 * and AVSS-colour RGB masks become the frames' objects (export to VOC gives the same PNGs back, byte for byte),
 * each imported frame gets a new revision, and every bad file is named on one line (exit 2) with the project
 * left byte-identical.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { main } from '../../../src-main/cli/main';
import { encodePalettePng, encodePng } from '../../../src-main/dataset/png';
import { VOC_PALETTE_256 } from '../../../src-main/dataset/sequence-frames';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore } from '../../../src-main/ipc/app-core';
import { AVSS_CLASSES, AVSS_PALETTE } from '../../../src-main/shared/avss-classes';
import type { FrameRaster, ProjectState } from '../../../src-main/shared/ipc-contract';
import { makeVideo } from '../app-support/test-media';
import { makeTempDir } from '../helpers/media-fixtures';

const W = 64;
const H = 48;
const DOG = AVSS_CLASSES.indexOf('dog');
const PIANO = AVSS_CLASSES.indexOf('piano');
let dir = '';
let video = '';

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  return { code: await main(argv, io), stdout, stderr };
}

async function tree(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(path.relative(root, path.join(e.parentPath, e.name)), await fs.readFile(path.join(e.parentPath, e.name)));
  }
  return out;
}

/** Class map: left half `left`, a block of `right` at the bottom right, background elsewhere. */
function classes(left: number, right: number): Uint8Array {
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[y * W + x] = x < W / 2 ? left : y > H / 2 && x > 40 ? right : 0;
  return data;
}

const rgbOf = (map: Uint8Array): Uint8Array => {
  const out = new Uint8Array(map.length * 3);
  map.forEach((c, i) => out.set(AVSS_PALETTE[c]!, i * 3));
  return out;
};

async function projectState(project: string): Promise<ProjectState> {
  const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(dir), workParent: dir });
  try {
    return await core.openProject(project);
  } finally {
    await core.dispose();
  }
}

beforeAll(async () => {
  dir = await makeTempDir();
  video = makeVideo(path.join(dir, 'clip one.mp4'), { seconds: 4.2, width: W, height: H });
}, 60_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('import-masks', () => {
  const masks = (): string => path.join(dir, 'masks');
  const project = (): string => path.join(dir, 'project');
  const expected = [classes(DOG, PIANO), new Uint8Array(W * H), classes(PIANO, 0), classes(0, DOG)];

  it('imports palette, index and RGB PNGs named by sampled frame, one new revision per frame; VOC export gives them back', async () => {
    await fs.mkdir(masks());
    await fs.writeFile(path.join(masks(), '0.png'), encodePalettePng(W, H, expected[0]!, VOC_PALETTE_256));
    await fs.writeFile(path.join(masks(), '00002.png'), encodePng(W, H, 1, expected[2]!));
    await fs.writeFile(path.join(masks(), 'clip_3.png'), encodePng(W, H, 3, rgbOf(expected[3]!)));
    await fs.writeFile(path.join(masks(), '.DS_Store'), 'x');
    const res = await run(['import-masks', video, masks(), '--project', project(), '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout) as { frames: number; changed: number; objectsAdded: number; classes: string[] };
    expect(summary).toMatchObject({ frames: 3, changed: 3, objectsAdded: 2, classes: ['dog', 'piano'] });

    const state = await projectState(project());
    const doc = state.manifest.videos[0]!;
    expect(doc.frames.map((f) => f.revision)).toEqual([1, 0, 1, 1]);
    expect(doc.objects.map((o) => [AVSS_CLASSES[o.classIndex], o.sounding])).toEqual([
      ['dog', [true, false, false, true]], ['piano', [true, false, true, false]],
    ]);

    const voc = path.join(dir, 'voc');
    expect((await run(['export', project(), '--out', voc, '--format', 'voc'])).code).toBe(0);
    const seg = (await fs.readdir(path.join(voc, 'SegmentationClass'))).sort();
    expect(seg).toHaveLength(4);
    for (const [k, name] of seg.entries()) {
      const bytes = await fs.readFile(path.join(voc, 'SegmentationClass', name));
      expect(Buffer.compare(bytes, encodePalettePng(W, H, expected[k]!, VOC_PALETTE_256)), name).toBe(0);
    }
  }, 120_000);

  it('importing the same folder again changes nothing and adds no object', async () => {
    const res = await run(['import-masks', video, masks(), '--project', project(), '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ frames: 3, changed: 0, objectsAdded: 0 });
  }, 60_000);

  const badCases: [string, (d: string) => Promise<string>, RegExp][] = [
    ['wrong size', async (d) => { const f = path.join(d, '1.png'); await fs.writeFile(f, encodePng(W + 1, H, 1, new Uint8Array((W + 1) * H))); return f; }, /is 65x48, the video's frames are 64x48$/],
    ['not a PNG', async (d) => { const f = path.join(d, '1.png'); await fs.writeFile(f, 'hello, not an image'); return f; }, /: not a PNG/],
    ['unknown palette colour (RGB)', async (d) => {
      const f = path.join(d, '1.png');
      const rgb = rgbOf(classes(DOG, 0));
      rgb.set([1, 2, 3], (5 * W + 50) * 3);
      await fs.writeFile(f, encodePng(W, H, 3, rgb));
      return f;
    }, /: unknown palette colour #010203 at pixel \(50, 5\)/],
    ['unknown palette colour (palette PNG)', async (d) => {
      const f = path.join(d, '1.png');
      const palette = [...VOC_PALETTE_256];
      palette[DOG] = [7, 7, 7];
      await fs.writeFile(f, encodePalettePng(W, H, classes(DOG, 0), palette));
      return f;
    }, new RegExp(`: unknown palette colour #070707 \\(index ${DOG}\\) at pixel \\(0, 0\\)`)],
    ['class index out of range', async (d) => { const f = path.join(d, '1.png'); await fs.writeFile(f, encodePng(W, H, 1, new Uint8Array(W * H).fill(99))); return f; }, /class index 99 .* is not an AVSS class/],
    ['no such frame', async (d) => { const f = path.join(d, '4.png'); await fs.writeFile(f, encodePng(W, H, 1, new Uint8Array(W * H))); return f; }, /frame 4 does not exist \(the video has 4 sampled frames/],
    ['not a mask name', async (d) => { const f = path.join(d, 'notes.txt'); await fs.writeFile(f, 'x'); return f; }, /not a mask file name/],
  ];
  for (const [name, make, message] of badCases) {
    it(`a bad file (${name}) is named on one line, exit 2, and the project is left byte-identical`, async () => {
      const bad = path.join(dir, `bad-${name.replace(/\W+/g, '-')}`);
      await fs.cp(masks(), bad, { recursive: true });
      const file = await make(bad);
      const before = await tree(project());
      const res = await run(['import-masks', video, bad, '--project', project()]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/^avs-annotator: error: [^\n]+\n$/);
      expect(res.stderr).toContain(file);
      expect(res.stderr.trim()).toMatch(message);
      expect(await tree(project())).toEqual(before);
    }, 60_000);
  }

  it('masks:import over IPC: imports into the open project, refuses a bad folder naming the file', async () => {
    const core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(dir), workParent: dir });
    try {
      const proj = path.join(dir, 'ipc-project');
      await core.openProject(proj, { create: true });
      const info = await core.openVideo(video);
      const ok = await core.handleRequest('masks:import', { videoId: info.videoId, path: masks() });
      expect(ok).toMatchObject({ ok: true, value: { frames: 3, changed: 3, objectsAdded: 2 } });
      const raster = await core.handleRequest('project:raster', { videoId: info.videoId, frame: 2 });
      const state = await core.handleRequest('project:state', {});
      if (!raster.ok || !state.ok) throw new Error('refused');
      const data = (raster.value as FrameRaster).raster.data;
      const pianoId = (state.value as ProjectState).manifest.videos[0]!.objects.find((o) => o.classIndex === PIANO)!.id;
      expect(data[0]).toBe(pianoId);
      expect(data[W - 1]).toBe(0);
      const refused = await core.handleRequest('masks:import', { videoId: info.videoId, path: path.join(dir, 'bad-not-a-PNG') });
      expect(refused).toMatchObject({ ok: false, error: { code: 'bad-input' } });
      if (refused.ok) throw new Error('accepted');
      expect(refused.error.message).toContain(path.join(dir, 'bad-not-a-PNG', '1.png'));
      expect((await core.handleRequest('masks:import', { videoId: info.videoId }))).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    } finally {
      await core.dispose();
    }
  }, 60_000);
});
