// The project on disk: edits survive close/reopen exactly, a session that never closed is recovered from the
// journal, damaged files are recovered (manifest from its backup) or reported naming the file (a truncated
// mask), and edits are checked per object the way mask:save checked whole masks.
import { cpSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject, openProject } from '../../../src-main/project/open-project';
import type { Project } from '../../../src-main/project/project';
import { makeTempDir } from '../app-support/test-media';
import { deadPid, object, recorder, videoDoc } from './project-support';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = (): string => join(tmp.dir, `p${n++}`);

async function seeded(dir: string): Promise<Project> {
  const project = await createProject(dir, 'Birds', { listener: recorder() });
  await project.commit([{ op: 'video:add', video: videoDoc('v1', 4) }]);
  await project.commit([{ op: 'object:add', videoId: 'v1', object: object(1, 5, 4) }, { op: 'object:add', videoId: 'v1', object: object(2, 9, 4) }]);
  await project.commit([{ op: 'pixels', videoId: 'v1', frame: 2, rect: { x: 1, y: 1, w: 2, h: 2 }, after: new Uint16Array([1, 1, 2, 2]) }]);
  await project.commit([{ op: 'frame:review', videoId: 'v1', frame: 2, review: 'approved' }]);
  return project;
}

/** Copies a project folder as a crash would leave it: the lock of a process that is gone. */
function crashCopy(dir: string): string {
  const copy = `${dir}-crash`;
  cpSync(dir, copy, { recursive: true });
  writeFileSync(join(copy, '.avs-lock'), JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), token: 'x' }));
  return copy;
}

describe('project on disk', () => {
  it('round-trips edits through close and reopen, with nothing left in the journal', async () => {
    const dir = fresh();
    const project = await seeded(dir);
    await project.flush();
    const before = project.state();
    const raster = await project.raster('v1', 2);
    await project.close();
    expect(existsSync(join(dir, '.avs-lock'))).toBe(false);
    expect(readdirSync(join(dir, 'masks', 'v1'))).toEqual(['2.png']);
    const again = await openProject(dir, { listener: recorder() });
    // The video file of this synthetic doc does not exist: the reopen lists it for relinking.
    expect(again.state()).toEqual({ ...before, save: 'saved', missingVideos: [{ videoId: 'v1', path: '/nowhere/v1.mp4', problem: 'missing' }] });
    expect(again.state().recovered).toEqual([]);
    expect(await again.raster('v1', 2)).toEqual(raster);
    expect([...raster.raster.data.subarray(8, 12)]).toEqual([0, 1, 1, 0]);
    expect(again.video('v1').frames[2]).toMatchObject({ review: 'approved', revision: 1, source: { kind: 'edited' } });
    await again.close();
  });

  it('recovers a session that never closed from the journal, and takes over its stale lock', async () => {
    const dir = fresh();
    const project = await seeded(dir);
    await project.flush();
    await project.commit([{ op: 'pixels', videoId: 'v1', frame: 3, rect: { x: 0, y: 0, w: 1, h: 1 }, after: new Uint16Array([2]) }]);
    await project.commit([{ op: 'object:update', videoId: 'v1', objectId: 2, changes: { sounding: [false, true, false, true] } }]);
    // Durable in the journal, not yet compacted: what a kill right now would leave.
    await (project as unknown as { journal: { flush(): Promise<void> } }).journal.flush();
    const crashed = crashCopy(dir);
    await project.close();
    const listener = recorder();
    const recovered = await openProject(crashed, { listener });
    expect(recovered.readOnly).toBeNull();
    expect(recovered.revision).toBe(6);
    expect((await recovered.raster('v1', 3)).raster.data[0]).toBe(2);
    expect(recovered.video('v1').objects[1]!.sounding).toEqual([false, true, false, true]);
    const files = recovered.recovered.map((r) => r.file);
    expect(files).toEqual(['.avs-lock', 'journal']);
    expect(recovered.recovered[1]!.action).toMatch(/recovered 2 change\(s\) from the journal/);
    await recovered.close();
    const clean = await openProject(crashed, { listener: recorder() });
    expect(clean.recovered).toEqual([]);
    expect(clean.revision).toBe(6);
    await clean.close();
  });

  it('recovers a corrupted manifest from its last good copy plus the journal, and says so', async () => {
    const dir = fresh();
    const project = await seeded(dir);
    await project.flush();
    await project.commit([{ op: 'frame:review', videoId: 'v1', frame: 0, review: 'approved' }]);
    await project.flush();
    await project.close();
    writeFileSync(join(dir, 'project.json'), '{"schemaVersion": 1, "id": "p1", "na');
    const reopened = await openProject(dir, { listener: recorder() });
    expect(reopened.recovered[0]).toMatchObject({ file: 'project.json', problem: expect.stringContaining('not valid JSON'), action: expect.stringContaining('project.json.bak') });
    expect(reopened.video('v1').frames[0]!.review).toBe('approved');
    expect(reopened.video('v1').frames[2]!.review).toBe('approved');
    expect(existsSync(join(dir, 'project.json.damaged'))).toBe(true);
    await reopened.close();
  });

  it('refuses a project whose manifest and backup are both unusable, naming the file and field', async () => {
    const dir = fresh();
    const project = await seeded(dir);
    await project.close();
    const good = JSON.parse(readFileSync(join(dir, 'project.json'), 'utf8')) as { videos: { objects: { classIndex: number }[] }[] };
    good.videos[0]!.objects[0]!.classIndex = 99;
    writeFileSync(join(dir, 'project.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'project.json.bak'), 'garbage');
    await expect(openProject(dir, { listener: recorder() })).rejects.toThrow(
      `${join(dir, 'project.json')}: videos[0].objects[0].classIndex: Invalid value: Expected <=70 but received 99; project.json.bak: not valid JSON`,
    );
  });

  it('reports a truncated mask file by name and keeps it aside; the frame starts empty', async () => {
    const dir = fresh();
    const project = await seeded(dir);
    await project.close();
    const mask = join(dir, 'masks', 'v1', '2.png');
    truncateSync(mask, 30);
    const listener = recorder();
    const reopened = await openProject(dir, { listener });
    const { raster } = await reopened.raster('v1', 2);
    expect(raster.data.every((v) => v === 0)).toBe(true);
    expect(reopened.recovered).toEqual([{ file: 'masks/v1/2.png', problem: expect.stringMatching(/truncated/), action: expect.stringContaining('masks/v1/2.png.damaged') }]);
    expect(listener.notices[0]).toMatchObject({ kind: 'recovered', message: expect.stringContaining('masks/v1/2.png') });
    expect(reopened.video('v1').frames[2]).toMatchObject({ review: 'unreviewed', source: { kind: 'none' } });
    await reopened.close();
    expect(existsSync(`${mask}.damaged`)).toBe(true);
  });

  it('checks every edit and applies a batch all or nothing', async () => {
    const project = await seeded(fresh());
    const pixels = (after: number[], frame = 1, y = 0) => ({ op: 'pixels' as const, videoId: 'v1', frame, rect: { x: 0, y, w: after.length, h: 1 }, after: new Uint16Array(after) });
    await expect(project.commit([pixels([7])])).rejects.toThrow('pixels: object 7 does not exist in video v1');
    await expect(project.commit([pixels([1], 9)])).rejects.toThrow('frame 9 does not exist');
    await expect(project.commit([{ ...pixels([1]), rect: { x: 7, y: 0, w: 2, h: 1 }, after: new Uint16Array(2) }])).rejects.toThrow('outside the 8x6 raster');
    await expect(project.commit([{ ...pixels([1, 1]), after: new Uint16Array(1) }])).rejects.toThrow('holds 1 ids, the rect needs 2');
    await expect(project.commit([{ op: 'object:add', videoId: 'v1', object: object(1, 3, 4) }])).rejects.toThrow('already exists');
    await expect(project.commit([{ op: 'object:add', videoId: 'v1', object: object(3, 3, 2) }])).rejects.toThrow('sounding has 2 flags, the video has 4 seconds');
    await expect(project.commit([pixels([1, 2]), pixels([9])])).rejects.toThrow('edit 2 of 2 (pixels): pixels: object 9 does not exist');
    expect([...(await project.raster('v1', 1)).raster.data.subarray(0, 2)]).toEqual([0, 0]);
    await project.commit([{ op: 'object:update', videoId: 'v1', objectId: 1, changes: { locked: true } }]);
    await expect(project.commit([pixels([0, 0, 0, 0, 0, 0, 0, 0], 2, 1)])).rejects.toThrow('object 1 is locked');
    const revision = project.revision;
    await project.commit([{ op: 'object:delete', videoId: 'v1', objectId: 2 }]);
    expect(project.revision).toBe(revision + 1);
    await project.close();
  });

  it('opens read-only while another instance holds the lock, and says who', async () => {
    const dir = fresh();
    const first = await seeded(dir);
    await first.flush();
    const second = await openProject(dir, { listener: recorder() });
    expect(second.readOnly).toMatchObject({ reason: expect.stringContaining(`pid ${process.pid} on ${hostname()}`), lock: { pid: process.pid } });
    expect(second.revision).toBe(first.revision);
    await expect(second.commit([{ op: 'frame:review', videoId: 'v1', frame: 0, review: 'edited' }])).rejects.toThrow(/read-only: it is open in another instance/);
    await second.close();
    expect(existsSync(join(dir, '.avs-lock'))).toBe(true);
    await first.close();
  });

  it('keeps edits whose journal write failed in memory, says so, and saves them by the retry', async () => {
    const listener = recorder();
    const dir = fresh();
    const project = await createProject(dir, 'x', { listener });
    await project.commit([{ op: 'video:add', video: videoDoc('v1', 2) }, { op: 'object:add', videoId: 'v1', object: object(1, 5, 2) }]);
    await project.flush();
    // The journal's file handle dies under it (what a vanished disk looks like to the writer).
    await (project as unknown as { journal: { handle: { close(): Promise<void> } } }).journal.handle.close();
    await project.commit([{ op: 'pixels', videoId: 'v1', frame: 1, rect: { x: 0, y: 0, w: 2, h: 1 }, after: new Uint16Array([1, 1]) }]);
    await new Promise((r) => setTimeout(r, 50));
    expect(project.saveState).toBe('unsaved');
    expect(listener.notices[0]).toMatchObject({ kind: 'save-failed', level: 'error', message: expect.stringContaining('retried') });
    await new Promise((r) => setTimeout(r, 3500));
    expect(project.saveState).toBe('saved');
    expect(listener.notices.at(-1)).toMatchObject({ kind: 'save-failed', level: 'info', message: expect.stringContaining('works again') });
    const copy = crashCopy(dir);
    await project.close();
    const reopened = await openProject(copy, { listener: recorder() });
    expect([...(await reopened.raster('v1', 1)).raster.data.subarray(0, 2)]).toEqual([1, 1]);
    await reopened.close();
  }, 10_000);
});

