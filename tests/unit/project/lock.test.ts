// The project lock on its own: a live lock (this process, or another host's with a fresh heartbeat) keeps a
// second opener out; a stale one (dead pid on this host, a heartbeat older than a minute on any host, or a torn
// lock file) is taken over and the previous holder reported; release leaves a lock taken over by someone else.
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProjectLock, STALE_AFTER_MS } from '../../../src-main/project/lock';
import { makeTempDir } from '../app-support/test-media';
import { deadPid } from './project-support';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
const lockFile = join(tmp.dir, '.avs-lock');
const write = (info: object, ageMs = 0): void => {
  writeFileSync(lockFile, JSON.stringify({ startedAt: '2026-12-01T00:00:00.000Z', token: 'other', ...info }));
  const at = new Date(Date.now() - ageMs);
  utimesSync(lockFile, at, at);
};

describe('project lock', () => {
  it('keeps a second opener out while held, and is free again after release', async () => {
    const first = await ProjectLock.acquire(tmp.dir);
    expect(first).toMatchObject({ held: true, tookOver: null });
    const second = await ProjectLock.acquire(tmp.dir);
    expect(second).toEqual({ held: false, holder: { pid: process.pid, host: hostname(), startedAt: expect.any(String) } });
    if (first.held) await first.lock.release();
    const third = await ProjectLock.acquire(tmp.dir);
    expect(third.held).toBe(true);
    if (third.held) await third.lock.release();
  });

  it('respects another host\'s fresh lock but takes over one whose heartbeat stopped', async () => {
    write({ pid: 1, host: 'elsewhere' });
    expect(await ProjectLock.acquire(tmp.dir)).toMatchObject({ held: false, holder: { host: 'elsewhere' } });
    write({ pid: 1, host: 'elsewhere' }, STALE_AFTER_MS + 5000);
    const taken = await ProjectLock.acquire(tmp.dir);
    expect(taken).toMatchObject({ held: true, tookOver: { pid: 1, host: 'elsewhere' } });
    if (taken.held) await taken.lock.release();
  });

  it('takes over the lock of a process that is gone, and a torn lock file', async () => {
    write({ pid: deadPid(), host: hostname() });
    const dead = await ProjectLock.acquire(tmp.dir);
    expect(dead).toMatchObject({ held: true, tookOver: { host: hostname() } });
    if (dead.held) await dead.lock.release();
    writeFileSync(lockFile, '{"pid": 12');
    const torn = await ProjectLock.acquire(tmp.dir);
    expect(torn).toMatchObject({ held: true, tookOver: { pid: 0, host: 'unknown' } });
    // Someone else took it over meanwhile: releasing must not delete their lock.
    write({ pid: process.pid, host: hostname(), token: 'theirs' });
    if (torn.held) await torn.lock.release();
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ token: 'theirs' });
  });
});
