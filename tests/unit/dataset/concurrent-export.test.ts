/**
 * Real processes against one dataset folder: exporters running at the same time must never lose a row, and an
 * exporter killed (SIGKILL) at a random moment must leave the previous dataset intact with no half clip visible.
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetTransaction, metadataRows, parseMetadataCsv } from '../../../src-main/dataset';
import { bundleScript } from '../helpers/bundle-script';
import { makeTempDir } from '../helpers/media-fixtures';

let dir = '';
let worker = '';
beforeAll(async () => {
  dir = await makeTempDir('avs-concurrent-');
  worker = await bundleScript(path.join(__dirname, 'fixtures', 'export-worker.ts'), dir);
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

function run(args: string[], killAfterMs?: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

const rowsOf = async (root: string): Promise<string[]> =>
  metadataRows(parseMetadataCsv(await fs.readFile(path.join(root, 'metadata.csv')), 'metadata.csv')).map((r) => r.uid).sort();

/** Every visible clip folder is whole: 10 frames, 10 + 10 masks, audio. */
async function expectWholeClips(root: string): Promise<string[]> {
  const names = (await fs.readdir(path.join(root, 'v2')).catch(() => [] as string[])).filter((n) => !n.startsWith('.'));
  for (const n of names) {
    const c = path.join(root, 'v2', n);
    const counts = await Promise.all(['frames', 'labels_semantic', 'labels_rgb'].map(async (d) => (await fs.readdir(path.join(c, d))).length));
    expect(counts, n).toEqual([10, 10, 10]);
    expect((await fs.stat(path.join(c, 'audio.wav'))).size, n).toBe(44 + 320_000);
  }
  return names.sort();
}

describe('exports from several processes into one dataset', () => {
  it('keep every row of every window', async () => {
    const root = path.join(dir, 'shared');
    const procs = 4;
    const exportsEach = 8;
    const clipsEach = 2;
    const results = await Promise.all(Array.from({ length: procs }, (_, p) => run([root, `video${p}`, String(exportsEach), String(clipsEach), '16'])));
    for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
    const rows = await rowsOf(root);
    expect(rows).toHaveLength(procs * exportsEach * clipsEach);
    expect(await expectWholeClips(root)).toEqual(rows);
    expect((await fs.readdir(root)).sort()).toEqual(['label2idx.json', 'metadata.csv', 'v2']);
  }, 120_000);

  it('killed at random moments: previous dataset intact, no half clip, leftovers swept by the next export', async () => {
    const root = path.join(dir, 'killed');
    expect((await run([root, 'before', '1', '3', '64'])).code).toBe(0);
    const previous = await rowsOf(root);
    const previousText = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
    // One uncut run measures how long an export takes here, so the kills spread over all of it.
    const t0 = Date.now();
    expect((await run([path.join(dir, 'timing'), 'after', '1', '6', '64'])).code).toBe(0);
    const span = Date.now() - t0;
    let cutShort = 0;
    for (let trial = 0; trial < 8; trial++) {
      const r = await run([root, 'after', '1', '6', '64'], Math.round(Math.random() * span));
      const visible = await expectWholeClips(root);
      const rows = await rowsOf(root);
      expect(rows.filter((u) => !visible.includes(u))).toEqual([]); // no row without its folder, even right after the kill
      await (await DatasetTransaction.begin(root)).abort(); // the next transaction sweeps what the kill left
      expect((await fs.readdir(root)).filter((n) => n.startsWith('.'))).toEqual([]);
      const after = await rowsOf(root);
      expect(await expectWholeClips(root)).toEqual(after); // no orphan folder, no row without a folder
      if (r.code === 0 || after.length > previous.length) {
        expect(after).toHaveLength(previous.length + 6);
      } else {
        cutShort++;
        expect(after).toEqual(previous);
        expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(previousText);
      }
      await fs.rm(root, { recursive: true });
      expect((await run([root, 'before', '1', '3', '64'])).code).toBe(0);
    }
    expect(cutShort).toBeGreaterThan(0); // at least one kill landed before the commit
  }, 180_000);
});
