/**
 * validate / export / merge / prelabel --shard through the real CLI entry (main(argv) in-process), on datasets
 * written from real generated media and on pre-labels by the real bundled model: 3 shards (chosen by --shard,
 * the Slurm array variables and a Kubernetes completion index) merged equal one run, byte for byte.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { main } from '../../../src-main/cli/main';
import { resolveShard, shardItems } from '../../../src-main/cli/shard';
import { exportDataset } from '../../../src-main/dataset';
import { userPath } from '../../../src-main/util/user-path';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeVideo } from '../app-support/test-media';
import { addLogmel, fixtureVideo, sourceOf } from '../helpers/export-fixtures';
import { makeTempDir } from '../helpers/media-fixtures';

let dir = '';
let avss = '';

async function run(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return { code: await main(argv, io), stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function tree(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const e of await fs.readdir(root, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out.set(path.relative(root, path.join(e.parentPath, e.name)), await fs.readFile(path.join(e.parentPath, e.name)));
  }
  return out;
}

beforeAll(async () => {
  dir = await makeTempDir();
  const video = await fixtureVideo(dir, { name: 'song', width: 64, height: 48, seconds: 10.5 });
  avss = path.join(dir, 'avss');
  await exportDataset(sourceOf([video], dir), avss, { format: 'avss', splits: new Map([[video.id, 'val']]) });
}, 60_000);
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('shards and user paths', () => {
  it('reads --shard, Slurm array and Kubernetes Indexed Job variables; refuses bad ones', () => {
    expect(resolveShard('1/3', undefined, {})).toEqual({ index: 1, count: 3 });
    expect(resolveShard(undefined, undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })).toEqual({ index: 2, count: 3 });
    expect(resolveShard(undefined, '4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 0, count: 4 });
    expect(resolveShard(undefined, undefined, {})).toBeUndefined();
    expect(() => resolveShard('3/3', undefined, {})).toThrow(/out of range/);
    expect(() => resolveShard('a/b', undefined, {})).toThrow(/--shard must be i\/N/);
    expect(() => resolveShard(undefined, undefined, { JOB_COMPLETION_INDEX: '1' })).toThrow(/--shards N/);
    expect(shardItems(['c', 'a', 'b', 'd'], { index: 1, count: 2 })).toEqual(['b', 'd']);
  });

  it('understands ~ and quoted paths', () => {
    expect(userPath('"/a b/c"')).toBe('/a b/c');
    expect(userPath("'~/x y'")).toBe(path.join(process.env['HOME'] ?? '', 'x y'));
    expect(userPath('~')).toBe(path.resolve(process.env['HOME'] ?? ''));
  });
});

describe('avs-annotator validate', () => {
  it('exit 0 for a valid dataset; exit 1 listing every problem with its path; exit 2 for a missing folder', async () => {
    expect(await run(['validate', avss])).toMatchObject({ code: 0, stdout: `${avss}: valid avss dataset\n` });
    const broken = path.join(dir, 'broken');
    await fs.cp(avss, broken, { recursive: true });
    await fs.rm(path.join(broken, 'v2', 'song_0_10000', 'labels_semantic', '4.png'));
    await fs.writeFile(path.join(broken, 'v2', 'song_0_10000', 'audio.wav'), 'not audio');
    const res = await run(['validate', broken]);
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${broken}/v2/song_0_10000: labels_semantic/ is not numbered 0..8`);
    expect(res.stdout).toContain(`${broken}/v2/song_0_10000: audio.wav: not a RIFF/WAVE file`);
    expect(res.stdout).toMatch(/\d+ problem\(s\) in /);
    const missing = await run(['validate', path.join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`avs-annotator: error: ${path.join(dir, 'nope')}: no such folder\n`);
    const notDataset = await run(['validate', dir]);
    expect(notDataset.code).toBe(1);
    expect(notDataset.stdout).toMatch(/not a dataset of any supported layout/);
  });
});

describe('avs-annotator export and merge', () => {
  it('converts a dataset to each layout (quoted and ~ paths), valid, and merges without duplicates', async () => {
    for (const format of ['coco', 'voc', 'davis', 'ytvos', 's4', 'ms3']) {
      const out = path.join(dir, `as-${format}`);
      const res = await run(['export', `"${avss}"`, '--format', format, '--out', out]);
      expect(res, format).toMatchObject({ code: 0 });
      if (format === 's4' || format === 'ms3') {
        expect((await run(['validate', out])).stdout, format).toMatch(/\.pkl: missing \(run `python -m ccformer add-logmel DATASET`\)/);
        addLogmel(out);
      }
      expect((await run(['validate', out])).code, format).toBe(0);
    }
    const res = await run(['export', avss, '--format', 'avss', '--label', 'v1m', '--split', 'test', '--out', '~/ds'], { HOME: dir });
    expect(res.code).toBe(0);
    expect(await fs.readFile(path.join(dir, 'ds', 'metadata.csv'), 'utf8')).toBe(
      'vid,uid,s_min,s_sec,a_obj,split,label\nsong,song_0_5000,0,0,piano_woman,test,v1m\nsong,song_5000_10000,0,5,woman,test,v1m\n');
    const merged = path.join(dir, 'merged');
    const m = await run(['merge', avss, path.join(dir, 'ds'), avss, '--out', merged]);
    expect(m).toMatchObject({ code: 0, stdout: expect.stringMatching(/3 added, 0 replaced/) }); // the repeated input replaces its own entry
    expect((await fs.readFile(path.join(merged, 'metadata.csv'), 'utf8')).trim().split('\n')).toHaveLength(4);
    const mixed = await run(['merge', avss, path.join(dir, 'as-coco'), '--out', path.join(dir, 'mixed')]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/as-coco: is a coco dataset, the others are avss\n$/);
    await expect(fs.stat(path.join(dir, 'mixed'))).rejects.toThrow();
    const bad = await run(['export', avss, '--format', 'mp4', '--out', path.join(dir, 'x')]);
    expect([bad.code, bad.stderr]).toEqual([2, 'avs-annotator: error: --format must be one of avss, s4, ms3, coco, voc, davis, ytvos, got "mp4"\n']);
  }, 400_000);
});

describe('avs-annotator prelabel --shard', () => {
  let model = '';
  let videos = '';
  beforeAll(async () => {
    model = testModel();
    videos = path.join(dir, 'videos');
    await fs.mkdir(videos);
    // Different sizes: identical files would be one video to the project (it recognises files by content).
    for (const [i, name] of ['a', 'b', 'c'].entries()) makeVideo(path.join(videos, `${name}.mp4`), { seconds: 10, width: 64 + 2 * i, height: 48 });
  }, EXPORT_TIMEOUT_MS);

  it('3 shards (flag, Slurm, Kubernetes) merged equal one run', async () => {
    const base = ['prelabel', videos, '--model', model, '--device', 'cpu', '--split', 'val'];
    expect((await run([...base, '--out', path.join(dir, 'one')])).code).toBe(0);
    const out = path.join(dir, 'sharded');
    expect((await run([...base, '--out', out, '--shard', '0/3'])).code).toBe(0);
    expect((await run([...base, '--out', out], { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' })).code).toBe(0);
    expect((await run([...base, '--out', out, '--shards', '3'], { JOB_COMPLETION_INDEX: '2' })).code).toBe(0);
    const shards = (await fs.readdir(out)).sort();
    expect(shards).toEqual(['shard-0-of-3', 'shard-1-of-3', 'shard-2-of-3']);
    expect(await fs.readFile(path.join(out, 'shard-1-of-3', 'metadata.csv'), 'utf8')).toMatch(/^vid,.*\nb,b_0_10000,/);
    const merged = path.join(dir, 'sharded-merged');
    expect((await run(['merge', ...shards.map((s) => path.join(out, s)), '--out', merged])).code).toBe(0);
    const a = await tree(path.join(dir, 'one'));
    const b = await tree(merged);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [rel, bytes] of a) expect(Buffer.compare(bytes, b.get(rel)!), rel).toBe(0);
  }, 400_000);

  it('export PROJECT --format coco writes the project as a valid COCO dataset', async () => {
    const project = path.join(dir, 'project');
    expect((await run(['prelabel', path.join(videos, 'a.mp4'), '--project', project, '--model', model, '--device', 'cpu'])).code).toBe(0);
    const out = path.join(dir, 'project-coco');
    const res = await run(['export', project, '--format', 'coco', '--split', 'val', '--out', out, '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ format: 'coco', clips: 1, frames: 10, keys: ['a'] });
    expect((await run(['validate', out])).code).toBe(0);
    expect((await fs.readdir(path.join(out, 'annotations')))).toEqual(['instances_val.json']);
  }, 120_000);
});
