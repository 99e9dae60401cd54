/**
 * Import round trips (export -> import -> export gives byte-identical masks and the same index rows) for AVSS,
 * S4, MS3, COCO, VOC, DAVIS and YouTube-VOS; merging shard datasets equals one run (byte-equal files, same rows); an AVSBench folder
 * with missing files imports what is good and names every missing file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDataset, importDataset, memorySource, mergeDataset, validateDataset } from '../../../src-main/dataset';
import type { DatasetFormat } from '../../../src-main/shared/dataset-formats';
import type { MemoryVideo } from '../../../src-main/dataset/memory-source';
import { fixtureVideo, sourceOf } from '../helpers/export-fixtures';
import { makeTempDir } from '../helpers/media-fixtures';

let dir = '';
let videos: MemoryVideo[] = [];

/** Every file under `root` (relative path -> bytes), skipping nothing. */
async function tree(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      out.set(path.relative(root, full), await fs.readFile(full));
    }
  }
  return out;
}

/** Masks and index files of every layout (frames are re-encoded only by S4/MS3, and compared elsewhere). */
const masksOf = (files: Map<string, Buffer>): Map<string, Buffer> =>
  new Map([...files].filter(([rel]) => /labels_|gt_masks|\.csv$|instances_|SegmentationClass|Annotations|ImageSets|meta\.json$|class_names/.test(rel)));

beforeAll(async () => {
  dir = await makeTempDir();
  videos = [
    await fixtureVideo(dir, { name: 'alpha', width: 64, height: 48, seconds: 10.5 }),
    await fixtureVideo(dir, { name: 'beta', width: 65, height: 49, seconds: 12.5 }),
    await fixtureVideo(dir, { name: 'gamma', width: 40, height: 30, seconds: 5.5, audio: false }),
  ];
}, 90_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

const splitsOf = (vs: MemoryVideo[]): Map<string, 'train' | 'val' | 'test'> => new Map(vs.map((v, i) => [v.id, (['train', 'val', 'test'] as const)[i % 3]!]));

describe('import round trip', () => {
  for (const format of ['avss', 's4', 'ms3', 'coco', 'voc', 'davis', 'ytvos'] as DatasetFormat[]) {
    it(`${format}: export -> import -> export is byte-stable for masks and index rows`, async () => {
      const first = path.join(dir, `${format}-1`);
      const second = path.join(dir, `${format}-2`);
      await exportDataset(sourceOf(videos, dir), first, { format, splits: splitsOf(videos) });
      const imported = await importDataset(first);
      expect(imported.format).toBe(format);
      expect(imported.problems.filter((p) => !/(MS3|DAVIS) names no classes/.test(p))).toEqual([]);
      expect(imported.videos.length).toBeGreaterThan(0);
      const work = path.join(dir, `${format}-work`);
      await exportDataset(memorySource(imported.videos, work), second, { format, splits: new Map() });
      const a = masksOf(await tree(first));
      const b = masksOf(await tree(second));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      expect(a.size).toBeGreaterThan(2);
      // MS3 names no classes, so its re-import uses the default class: binary masks still match byte for byte.
      for (const [rel, bytes] of a) expect(Buffer.compare(bytes, b.get(rel)!), rel).toBe(0);
      expect((await validateDataset(second)).problems.filter((p) => !/\.pkl: missing/.test(p))).toEqual([]);
    }, 180_000);
  }

  for (const format of ['davis', 'ytvos'] as DatasetFormat[]) {
    it(`${format}: an object that never sounds keeps the numbers of the objects after it (no renumbering on re-export)`, async () => {
      // Object 1 silent throughout: its rank appears in no mask, rank 2 does; a renumbering importer would write 1.
      const quiet = videos.map((v) => ({ ...v, objects: v.objects.map((o, i) => (i === 0 ? { ...o, sounding: o.sounding.map(() => false) } : o)) }));
      expect(quiet[1]!.objects.length).toBeGreaterThan(1);
      const first = path.join(dir, `${format}-quiet-1`);
      const second = path.join(dir, `${format}-quiet-2`);
      await exportDataset(sourceOf(quiet, dir), first, { format, splits: splitsOf(quiet) });
      const imported = await importDataset(first);
      await exportDataset(memorySource(imported.videos, path.join(dir, `${format}-quiet-work`)), second, { format, splits: new Map() });
      const a = masksOf(await tree(first));
      const b = masksOf(await tree(second));
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [rel, bytes] of a) expect(Buffer.compare(bytes, b.get(rel)!), rel).toBe(0);
    }, 120_000);
  }

  it('imports objects per class, sounding where their mask is present, silent elsewhere', async () => {
    const imported = await importDataset(path.join(dir, 'avss-1'));
    const clip = imported.videos.find((v) => v.name === 'beta_2000_12000')!;
    expect(clip.origin).toEqual({ vid: 'beta', startSec: 2 });
    expect(clip.split).toBe('val');
    expect(clip.objects.map((o) => [o.classIndex, o.sounding.filter(Boolean).length])).toEqual([[47, 3], [70, 10]]);
  });

  it('an AVSBench folder with missing files opens what is good and names each missing file', async () => {
    const root = path.join(dir, 'broken');
    await fs.cp(path.join(dir, 's4-1'), root, { recursive: true });
    const victim = path.join(root, 's4_data/visual_frames/val/piano/beta_0_5000/beta_0_5000_3.png');
    await fs.rm(victim);
    const res = await importDataset(root);
    expect(res.problems).toEqual([`${victim}: missing`]);
    expect(res.videos.map((v) => v.name)).not.toContain('beta_0_5000');
    expect(res.videos.length).toBeGreaterThan(1);
    const problems = (await validateDataset(root)).problems.filter((p) => !/\.pkl: missing/.test(p));
    expect(problems).toEqual([`${victim}: missing`]);
  });
});

describe('merge', () => {
  for (const format of ['avss', 's4', 'coco', 'voc', 'davis', 'ytvos'] as DatasetFormat[]) {
    it(`${format}: 3 shard datasets merged equal one run (byte-equal files, same rows)`, async () => {
      const one = path.join(dir, `${format}-one`);
      await exportDataset(sourceOf(videos, dir), one, { format, splits: splitsOf(videos) });
      const shards = [];
      for (const [i, v] of videos.entries()) {
        const shard = path.join(dir, `${format}-shard${i}`);
        await exportDataset(sourceOf([v], dir), shard, { format, splits: splitsOf(videos) });
        shards.push(shard);
      }
      const merged = path.join(dir, `${format}-merged`);
      const summary = await mergeDataset(format, shards, merged);
      const a = await tree(one);
      const b = await tree(merged);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [rel, bytes] of a) expect(Buffer.compare(bytes, b.get(rel)!), rel).toBe(0);
      // Merging again adds nothing: every entry is replaced in place.
      const again = await mergeDataset(format, shards, merged);
      expect(again.added).toBe(0);
      expect(again.replaced).toBe(summary.added);
      expect(await tree(merged)).toEqual(b);
    }, 180_000);
  }
});
