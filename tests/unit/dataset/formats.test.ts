/**
 * Every non-AVSS layout written from one real generated video (333x197, 12.5 s, tone) through exportDataset,
 * each checked by the layout validator and by reading the files back; COCO's RLE is decoded by pycocotools
 * (the .venv) and compared pixel-exact with the rasters it came from.
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, exportDataset, validateDataset } from '../../../src-main/dataset';
import { countsToString, decodeRle, rleCounts, stringToCounts } from '../../../src-main/dataset/coco-rle';
import type { CocoFile } from '../../../src-main/dataset/coco-writer';
import type { MemoryVideo } from '../../../src-main/dataset/memory-source';
import { parseWavHeader } from '../../../src-main/dataset/wav';
import { AVSS_PALETTE } from '../../../src-main/shared/avss-classes';
import { python } from '../app-support/test-model';
import { addLogmel, cls, fixtureVideo, sourceOf } from '../helpers/export-fixtures';
import { makeTempDir } from '../helpers/media-fixtures';

const W = 333;
const H = 197;
let dir = '';
let video: MemoryVideo;
const splits = (): Map<string, 'test'> => new Map([[video.id, 'test']]);

beforeAll(async () => {
  dir = await makeTempDir();
  video = await fixtureVideo(dir, { name: 'vid', width: W, height: H, seconds: 12.5 });
}, 60_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('S4 and MS3', () => {
  it('S4: published layout, 224x224 PNG frames, binary masks (train: _1 only), 5-s WAVs, CSV by position', async () => {
    const root = path.join(dir, 's4');
    const res = await exportDataset(sourceOf([video], dir), root, { format: 's4', splits: new Map([[video.id, 'train']]) });
    expect(res.keys).toEqual(['vid_0_5000', 'vid_5000_10000', 'vid_7000_12000']);
    expect(await fs.readFile(path.join(root, 's4_meta_data.csv'), 'utf8')).toBe(
      'name,start,category,split\nvid_0_5000,0,piano,train\nvid_5000_10000,5,woman,train\nvid_7000_12000,7,woman,train\n');
    const frames = path.join(root, 's4_data/visual_frames/train/piano/vid_0_5000');
    expect((await fs.readdir(frames)).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `vid_0_5000_${i}.png`));
    const frame = decodePng(await fs.readFile(path.join(frames, 'vid_0_5000_3.png')));
    expect([frame.width, frame.height, frame.channels]).toEqual([224, 224, 3]);
    expect(await fs.readdir(path.join(root, 's4_data/gt_masks/train/piano/vid_0_5000'))).toEqual(['vid_0_5000_1.png']);
    const mask = decodePng(await fs.readFile(path.join(root, 's4_data/gt_masks/train/piano/vid_0_5000/vid_0_5000_1.png')));
    expect([mask.width, mask.height, mask.channels, mask.data[224 * 100 + 10], mask.data[224 * 100 + 112]]).toEqual([224, 224, 1, 255, 0]);
    const wav = parseWavHeader(await fs.readFile(path.join(root, 's4_data/audio_wav/train/woman/vid_7000_12000.wav')));
    expect([wav.sampleRate, wav.frames]).toEqual([16000, 80000]);
    expect((await validateDataset(root)).problems).toEqual(res.keys.map((k) => expect.stringMatching(new RegExp(`${k}\\.pkl: missing \\(run`))));
    expect(res.warnings.join('\n')).toMatch(/python -m ccformer add-logmel/);
    addLogmel(root);
    expect((await validateDataset(root)).problems).toEqual([]);
    const pkl = await fs.stat(path.join(root, 's4_data/audio_log_mel/train/woman/vid_7000_12000.pkl'));
    expect(pkl.size).toBeGreaterThan(5 * 96 * 64 * 4);
  }, 120_000);

  it('MS3: literal .mp4_ frame names without a split folder, all 5 masks', async () => {
    const root = path.join(dir, 'ms3');
    await exportDataset(sourceOf([video], dir), root, { format: 'ms3', splits: splits() });
    expect(await fs.readFile(path.join(root, 'ms3_meta_data.csv'), 'utf8')).toBe('video_id,split\nvid_0_5000,test\nvid_5000_10000,test\nvid_7000_12000,test\n');
    expect((await fs.readdir(path.join(root, 'ms3_data/visual_frames/vid_0_5000'))).sort()).toEqual([1, 2, 3, 4, 5].map((i) => `vid_0_5000.mp4_${i}.png`));
    expect(await fs.readdir(path.join(root, 'ms3_data/gt_masks/test/vid_0_5000'))).toHaveLength(5);
    addLogmel(root);
    expect((await validateDataset(root)).problems).toEqual([]);
    await fs.rm(path.join(root, 'ms3_data/gt_masks/test/vid_5000_10000/vid_5000_10000_4.png'));
    expect((await validateDataset(root)).problems).toEqual([expect.stringMatching(/vid_5000_10000_4\.png: missing$/)]);
  }, 120_000);
});

describe('COCO', () => {
  it('writes RLE pycocotools decodes pixel-exact, with sounding flags, video and frame ids', async () => {
    const root = path.join(dir, 'coco');
    await exportDataset(sourceOf([video], dir), root, { format: 'coco', splits: splits() });
    const coco = JSON.parse(await fs.readFile(path.join(root, 'annotations/instances_test.json'), 'utf8')) as CocoFile;
    expect(coco.categories).toHaveLength(70);
    expect(coco.categories[cls('piano') - 1]).toEqual({ id: cls('piano'), name: 'piano', supercategory: 'object' });
    expect(coco.videos).toEqual([{ id: 1, name: 'vid', width: W, height: H, length: 12 }]);
    expect(coco.images).toHaveLength(12);
    expect(coco.images[7]).toMatchObject({ file_name: 'vid/00007.jpg', video_id: 1, frame_index: 7, width: W, height: H });
    expect(coco.annotations).toHaveLength(24);
    const piano7 = coco.annotations.find((a) => a.image_id === 8 && a.object_id === 1)!;
    expect([piano7.sounding, piano7.category_id]).toEqual([false, cls('piano')]);
    expect(coco.annotations.find((a) => a.image_id === 3 && a.object_id === 1)!.sounding).toBe(true);
    expect((await validateDataset(root)).problems).toEqual([]);

    const out = path.join(dir, 'coco-decoded.bin');
    execFileSync(python, ['-c', [
      'import json, sys, numpy as np',
      'from pycocotools import mask as M',
      'd = json.load(open(sys.argv[1]))',
      'out = open(sys.argv[2], "wb")',
      'for a in d["annotations"]:',
      '    m = M.decode({"size": a["segmentation"]["size"], "counts": a["segmentation"]["counts"].encode()})',
      '    assert int(M.area({"size": a["segmentation"]["size"], "counts": a["segmentation"]["counts"].encode()})) == a["area"]',
      '    assert [int(v) for v in M.toBbox({"size": a["segmentation"]["size"], "counts": a["segmentation"]["counts"].encode()})] == a["bbox"], (a["bbox"],)',
      '    out.write(np.ascontiguousarray(m, dtype=np.uint8).tobytes())',
    ].join('\n'), path.join(root, 'annotations/instances_test.json'), out]);
    const decoded = await fs.readFile(out);
    let offset = 0;
    for (const a of coco.annotations) {
      const raster = await video.frames[a.image_id - 1]!.raster;
      const expected = Uint8Array.from(raster.data, (v) => (v === a.object_id ? 1 : 0));
      expect(Buffer.compare(decoded.subarray(offset, offset + W * H), Buffer.from(expected)), `annotation ${a.id}`).toBe(0);
      offset += W * H;
    }
    expect(offset).toBe(decoded.length);
  }, 120_000);

  it('RLE round-trips edge cases in TS (empty, full, first pixel set, long runs)', () => {
    for (const [w, h, fill] of [[5, 3, () => 0], [5, 3, () => 1], [4, 4, (i: number) => (i === 0 ? 1 : 0)], [300, 200, (i: number) => (i % 7 === 0 ? 1 : 0)]] as const) {
      const mask = Uint8Array.from({ length: w * h }, (_, i) => fill(i));
      const counts = rleCounts(mask, w, h);
      expect(stringToCounts(countsToString(counts))).toEqual(counts);
      expect(decodeRle(counts, w, h)).toEqual(mask);
    }
  }, 120_000);
});

describe('VOC, DAVIS, YouTube-VOS', () => {
  it('VOC: palette PNG class masks (sounding rule), image sets per split', async () => {
    const root = path.join(dir, 'voc');
    await exportDataset(sourceOf([video], dir), root, { format: 'voc', splits: splits() });
    expect((await fs.readFile(path.join(root, 'ImageSets/Segmentation/test.txt'), 'utf8')).split('\n')[11]).toBe('vid_00011');
    expect((await fs.readFile(path.join(root, 'class_names.txt'), 'utf8')).split('\n')[cls('woman')]).toBe('woman');
    const png = decodePng(await fs.readFile(path.join(root, 'SegmentationClass/vid_00007.png')));
    expect([png.colorType, png.width, png.height, png.data[W * 50 + 5], png.data[W * 50 + W - 5]]).toEqual([3, W, H, 0, cls('woman')]);
    expect(Array.from(png.palette!.subarray(cls('woman') * 3, cls('woman') * 3 + 3))).toEqual([...AVSS_PALETTE[cls('woman')]!]);
    expect((await validateDataset(root)).problems).toEqual([]);
  }, 120_000);

  it('DAVIS and YouTube-VOS: object k -> palette index k; meta.json lists each object frames', async () => {
    const davis = path.join(dir, 'davis');
    await exportDataset(sourceOf([video], dir), davis, { format: 'davis', splits: splits() });
    expect(await fs.readFile(path.join(davis, 'ImageSets/2017/test.txt'), 'utf8')).toBe('vid\n');
    const m2 = decodePng(await fs.readFile(path.join(davis, 'Annotations/Full-Resolution/vid/00002.png')));
    expect([m2.colorType, m2.data[W * 50 + 5], m2.data[W * 50 + W - 5]]).toEqual([3, 1, 2]);
    expect((await validateDataset(davis)).problems).toEqual([]);
    const yt = path.join(dir, 'ytvos');
    await exportDataset(sourceOf([video], dir), yt, { format: 'ytvos', splits: splits() });
    const meta = JSON.parse(await fs.readFile(path.join(yt, 'test/meta.json'), 'utf8')) as { videos: Record<string, { objects: Record<string, { category: string; frames: string[] }> }> };
    expect(meta.videos['vid']!.objects['1']).toEqual({ category: 'piano', frames: ['00000', '00001', '00002', '00003', '00004'] });
    expect(meta.videos['vid']!.objects['2']!.frames).toHaveLength(12);
    expect((await validateDataset(yt)).problems).toEqual([]);
  }, 120_000);
});

describe('export errors', () => {
  it('a source file that cannot be read is named (not the dataset folder), and nothing is created', async () => {
    const root = path.join(dir, 'missing-source');
    const gone = path.join(dir, 'masks', 'gone.png');
    const source = sourceOf([video], dir);
    // A project mask file that vanished: the raw errno error of the read reaches the export.
    const frames = source.videos[0]!.frames.map((f, k) => (k === 3 ? { ...f, raster: () => fs.readFile(gone).then(() => f.raster()) } : f));
    const broken = { videos: [{ ...source.videos[0]!, frames }] };
    const err = await exportDataset(broken, root, { format: 'voc', splits: splits() }).then(() => null, (e: Error) => e);
    expect(err?.message).toBe(`${gone}: does not exist`);
    expect(await fs.readdir(root).catch(() => [])).toEqual([]);
  }, 60_000);
});
