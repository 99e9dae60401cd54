import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetTransaction, LOCK_FILE, metadataRows, parseMetadataCsv, type MetadataRow } from '../../../src-main/dataset';
import { STAGING_PREFIX, writeJournal } from '../../../src-main/dataset/dataset-recovery';
import { makeTempDir } from '../helpers/media-fixtures';

let dir = '';
beforeAll(async () => { dir = await makeTempDir('avs-tx-'); });
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

const row = (uid: string): MetadataRow => ({ vid: 'v', uid, s_min: 0, s_sec: 0, a_obj: 'guitar', split: 'train', label: 'v2' });
const uids = async (root: string): Promise<string[]> =>
  metadataRows(parseMetadataCsv(await fs.readFile(path.join(root, 'metadata.csv')), 'm')).map((r) => r.uid);
/** The error a promise rejects with (fails the test when it resolves). */
const failure = (p: Promise<unknown>): Promise<Error> => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as Error);
const ls = async (p: string): Promise<string[]> => (await fs.readdir(p)).sort();
/** A pid that is certainly dead: a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

async function stageClip(tx: DatasetTransaction, uid: string, content: string): Promise<void> {
  const d = await tx.stageDir(`v2/${uid}`);
  await fs.writeFile(path.join(d, 'audio.wav'), content);
}

describe('DatasetTransaction', () => {
  it('stages out of sight, then places everything and merges metadata.csv on commit', async () => {
    const root = path.join(dir, 'a', 'b', 'ds');
    const tx = await DatasetTransaction.begin(root);
    await stageClip(tx, 'v_0_10000', 'one');
    await fs.writeFile(tx.stagePath('notes.json'), '{}');
    expect(await ls(root)).toEqual([path.basename(tx.stagingDir)]); // only the hidden staging folder so far
    expect(path.basename(tx.stagingDir)).toMatch(new RegExp(`^${STAGING_PREFIX}[0-9a-f]{16}$`));
    const res = await tx.commit({ metadataRows: [row('v_0_10000')] });
    expect(res).toMatchObject({ placed: ['v2/v_0_10000', 'notes.json'], replaced: [], rowsAdded: 1, rowsReplaced: 0 });
    expect(await ls(root)).toEqual(['metadata.csv', 'notes.json', 'v2']);
    expect(await fs.readFile(path.join(root, 'v2', 'v_0_10000', 'audio.wav'), 'utf8')).toBe('one');
  });

  it('abort leaves the dataset exactly as it was', async () => {
    const root = path.join(dir, 'a', 'b', 'ds');
    const tx = await DatasetTransaction.begin(root);
    await stageClip(tx, 'v_10000_20000', 'two');
    await tx.abort();
    expect(await ls(root)).toEqual(['metadata.csv', 'notes.json', 'v2']);
    expect(await uids(root)).toEqual(['v_0_10000']);
  });

  it('replaces a clip of the same uid, and rolls everything back when a commit step fails', async () => {
    const root = path.join(dir, 'a', 'b', 'ds');
    const ok = await DatasetTransaction.begin(root);
    await stageClip(ok, 'v_0_10000', 'one again');
    expect(await ok.commit({ metadataRows: [row('v_0_10000')] })).toMatchObject({ replaced: ['v2/v_0_10000'], rowsAdded: 0, rowsReplaced: 1 });
    const before = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
    // notes.json is a file, so "notes.json/x" cannot be placed: that fails after the clip folders were moved.
    const bad = await DatasetTransaction.begin(root);
    await stageClip(bad, 'v_0_10000', 'should not survive');
    await stageClip(bad, 'v_20000_30000', 'new');
    await fs.writeFile(bad.stagePath('notes.json/x'), 'x').catch(async () => {
      await fs.mkdir(path.dirname(bad.stagePath('notes.json/x')), { recursive: true });
      await fs.writeFile(bad.stagePath('notes.json/x'), 'x');
    });
    const err = await failure(bad.commit({ metadataRows: [row('v_0_10000'), row('v_20000_30000')] }));
    expect(err.message).toMatch(/notes\.json: is a file, not a folder$/);
    expect(await fs.readFile(path.join(root, 'v2', 'v_0_10000', 'audio.wav'), 'utf8')).toBe('one again');
    expect(await ls(path.join(root, 'v2'))).toEqual(['v_0_10000']); // no orphan clip folder
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(before);
    expect(await ls(root)).toEqual(['metadata.csv', 'notes.json', 'v2']); // staging and lock gone
  });

  it('a merge that refuses the current file (corrupt metadata.csv) moves nothing', async () => {
    const root = path.join(dir, 'corrupt');
    await fs.mkdir(root);
    await fs.writeFile(path.join(root, 'metadata.csv'), 'not,a,header\n');
    const tx = await DatasetTransaction.begin(root);
    await stageClip(tx, 'v_0_10000', 'x');
    await expect(tx.commit({ metadataRows: [row('v_0_10000')] })).rejects.toThrow(/corrupt[/\\]metadata\.csv: header must be/);
    expect(await ls(root)).toEqual(['metadata.csv']);
  });

  it('refuses up front when the disk has less free space than the estimate, creating nothing', async () => {
    const root = path.join(dir, 'full', 'ds');
    const free = (await fs.statfs(dir)).bavail * (await fs.statfs(dir)).bsize;
    const err = await failure(DatasetTransaction.begin(root, { estimateBytes: free * 4 }));
    expect(err.message).toMatch(new RegExp(`^${root.replace(/[/\\]/g, '.')}: disk full \\(needs ~\\d+ MB, \\d+ MB free\\)$`));
    await expect(fs.stat(path.join(dir, 'full'))).rejects.toThrow(/ENOENT/);
  });

  it('waits for a live holder, names it when giving up, and takes over the lock of a dead one', async () => {
    const root = path.join(dir, 'locked');
    await fs.mkdir(root);
    const lockFile = path.join(root, LOCK_FILE);
    const live = { pid: process.pid, host: os.hostname(), startedAt: Date.now(), token: 'aaaa' };
    await fs.writeFile(lockFile, JSON.stringify(live));
    const err = await failure(DatasetTransaction.begin(root, { timeoutMs: 300 }));
    expect(err.message).toMatch(new RegExp(`\\.avs-lock: dataset is locked by pid ${process.pid} on ${os.hostname()} since `));
    await fs.writeFile(lockFile, JSON.stringify({ ...live, pid: deadPid() }));
    const tx = await DatasetTransaction.begin(root, { timeoutMs: 2000 });
    await tx.abort();
    // Another host's lock is trusted until it goes silent for staleMs.
    await fs.writeFile(lockFile, JSON.stringify({ ...live, host: 'elsewhere' }));
    await expect(DatasetTransaction.begin(root, { timeoutMs: 200 })).rejects.toThrow(/locked by pid \d+ on elsewhere/);
    const old = new Date(Date.now() - 120_000);
    await fs.utimes(lockFile, old, old);
    await (await DatasetTransaction.begin(root, { timeoutMs: 2000 })).abort();
    expect(await ls(root)).toEqual([]);
  });

  it('the next transaction undoes the half commit of a killed process and sweeps its leftovers', async () => {
    const root = path.join(dir, 'crashed');
    const first = await DatasetTransaction.begin(root);
    await stageClip(first, 'v_0_10000', 'old');
    await first.commit({ metadataRows: [row('v_0_10000')] });
    const before = await fs.readFile(path.join(root, 'metadata.csv'), 'utf8');
    // The state a SIGKILL leaves mid-commit: old clip moved aside, new one placed, new clip placed, metadata not yet.
    const staging = path.join(root, `${STAGING_PREFIX}deadbeefdeadbeef`);
    await fs.mkdir(path.join(staging, 'replaced', 'v2'), { recursive: true });
    await fs.mkdir(path.join(staging, 'data', 'v2'), { recursive: true });
    await fs.writeFile(path.join(staging, 'owner.json'), JSON.stringify({ pid: deadPid(), host: os.hostname(), startedAt: 0, token: 'deadbeefdeadbeef' }));
    await writeJournal(staging, { state: 'committing', units: ['v2/v_0_10000', 'v2/v_10000_20000'], merged: [{ name: 'metadata.csv', existed: true }] });
    await fs.rename(path.join(root, 'v2', 'v_0_10000'), path.join(staging, 'replaced', 'v2', 'v_0_10000'));
    await fs.mkdir(path.join(root, 'v2', 'v_0_10000'));
    await fs.mkdir(path.join(root, 'v2', 'v_10000_20000'));
    await fs.writeFile(path.join(root, 'v2', '.avs-tmp-metadata.csv-999999999-0123abcd'), 'half');
    await (await DatasetTransaction.begin(root)).abort();
    expect(await ls(root)).toEqual(['metadata.csv', 'v2']);
    expect(await ls(path.join(root, 'v2'))).toEqual(['v_0_10000']);
    expect(await fs.readFile(path.join(root, 'v2', 'v_0_10000', 'audio.wav'), 'utf8')).toBe('old');
    expect(await fs.readFile(path.join(root, 'metadata.csv'), 'utf8')).toBe(before);
  });

  it('concurrent transactions in one process keep every row', async () => {
    const root = path.join(dir, 'many');
    await Promise.all(Array.from({ length: 12 }, async (_, i) => {
      const tx = await DatasetTransaction.begin(root);
      await stageClip(tx, `v_${i * 10000}_${i * 10000 + 10000}`, String(i));
      await tx.commit({ metadataRows: [row(`v_${i * 10000}_${i * 10000 + 10000}`)] });
    }));
    expect((await uids(root)).length).toBe(12);
    expect((await ls(path.join(root, 'v2'))).length).toBe(12);
  });

  it('refuses staged paths that leave the dataset', async () => {
    const tx = await DatasetTransaction.begin(path.join(dir, 'paths'));
    for (const bad of ['../x', '/etc/x', '.avs-lock', 'a/../../x']) expect(() => tx.stagePath(bad), bad).toThrow(/must be relative/);
    await tx.abort();
  });
});
