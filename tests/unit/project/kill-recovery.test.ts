// Crash safety through the real API: the browser-mode server (`avs-annotator serve --project`, a real process)
// is driven by the renderer's own HTTP client through a scripted editing session and killed with SIGKILL at a
// random moment, several times on the same project. Each time the project must open (the dead server's lock
// taken over), hold every edit acknowledged more than 1 s before the kill and every edit the server reported as
// saved (`project:saved`), equal the client's own replay of the edits up to the revision found (an edit is
// acknowledged on commit and durable a few ms later, so the last few may be missing, never a gap), and contain
// no file that does not decode.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AvsApi } from '../../../src-main/shared/ipc-contract';
import { writeRect, type Edit } from '../../../src-main/shared/project-model';
import { openProject } from '../../../src-main/project/open-project';
import { readRasterFile } from '../../../src-main/project/raster-file';
import { createHttpApi } from '../../../src-renderer/api/http-client';
import { repoRoot, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';
import { recorder } from './project-support';

const tmp = makeTempDir();
const projectDir = join(tmp.dir, 'project');
const W = 64;
const H = 48;
const FRAMES = 3;
const KILLS = 5;
let clip: string;

beforeAll(() => {
  clip = makeVideo(join(tmp.dir, 'clip.mp4'), { seconds: FRAMES, width: W, height: H });
}, 60_000);
afterAll(() => tmp.cleanup());

/** Seeded PRNG: a failure is reproducible from the printed seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function startServer(): Promise<{ child: ChildProcess; api: AvsApi }> {
  const child = spawn(process.execPath, [
    join(repoRoot, 'bin', 'avs-annotator.mjs'), 'serve', '--project', projectDir, '--no-browser', '--port', '0', '--model', testModel(),
  ], { cwd: tmp.dir, env: { ...process.env, AVS_DATA_DIR: join(tmp.dir, 'data') }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const url = await new Promise<URL>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(new URL(m[0]));
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code} before listening`)));
  });
  const api = createHttpApi({ origin: url.origin, token: url.searchParams.get('token')!, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  return { child, api };
}

interface Acked { edit: Edit; revision: number; at: number }

describe('SIGKILL during an editing session through the real API', () => {
  it(`keeps every acknowledged edit across ${KILLS} kills at random moments`, async () => {
    const seed = Date.now() % 100000;
    const random = rng(seed);
    const shadow = Array.from({ length: FRAMES }, () => new Uint16Array(W * H));
    const reviews: string[] = Array.from({ length: FRAMES }, () => 'unreviewed');
    let videoId = '';
    let lost = 0;
    for (let round = 0; round < KILLS; round++) {
      const { child, api } = await startServer();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (round === 0) {
        const opened = await api.invoke('video:open', { path: clip });
        if (!opened.ok || !opened.value) throw new Error(`video:open failed: ${JSON.stringify(opened)}`);
        videoId = opened.value.videoId;
        const sounding = Array.from({ length: FRAMES }, () => true);
        const added = await api.invoke('project:edit', { edits: [1, 2].map((id) => ({ op: 'object:add' as const, videoId, object: { id, classIndex: id + 3, visible: true, locked: false, z: id, sounding } })) });
        expect(added.ok).toBe(true);
      }
      const acked: Acked[] = [];
      let inFlight: Edit | null = null;
      let reportedSaved = 0;
      const unsubscribe = api.on('project:saved', ({ revision, state }) => {
        if (state === 'saved') reportedSaved = Math.max(reportedSaved, revision);
      });
      const killAt = Date.now() + 300 + random() * 2700;
      let killedAt = Infinity;
      const killer = setTimeout(() => {
        killedAt = Date.now();
        child.kill('SIGKILL');
      }, killAt - Date.now());
      // Edit as fast as the server answers until the kill cuts the session off, with an occasional pause long enough
      // for the background compaction (manifest + mask files) to start, so kills also land in and after it.
      for (;;) {
        if (random() < 0.004) await new Promise((r) => setTimeout(r, 1400 + random() * 300));
        const frame = Math.floor(random() * FRAMES);
        const edit: Edit = random() < 0.85
          ? (() => {
            const w = 1 + Math.floor(random() * 20);
            const h = 1 + Math.floor(random() * 20);
            const rect = { x: Math.floor(random() * (W - w)), y: Math.floor(random() * (H - h)), w, h };
            return { op: 'pixels', videoId, frame, rect, after: new Uint16Array(w * h).fill(Math.floor(random() * 3)) };
          })()
          : { op: 'frame:review', videoId, frame, review: random() < 0.5 ? 'approved' : 'unreviewed' };
        inFlight = edit;
        const result = await api.invoke('project:edit', { edits: [edit] });
        if (!result.ok) break;
        acked.push({ edit, revision: result.value.revision, at: Date.now() });
        inFlight = null;
      }
      clearTimeout(killer);
      await exited;
      unsubscribe();

      const project = await openProject(projectDir, { listener: recorder() });
      expect(project.readOnly, `seed ${seed} round ${round}`).toBeNull();
      const mustHave = acked.filter((a) => a.at < killedAt - 1000).at(-1)?.revision ?? 0;
      const lastAcked = acked.at(-1)?.revision ?? project.revision;
      const found = project.revision;
      expect(found, `seed ${seed} round ${round}: acked ${lastAcked}, acked > 1 s before the kill ${mustHave}, reported saved ${reportedSaved}`)
        .toBeGreaterThanOrEqual(Math.max(mustHave, reportedSaved));
      expect(found, `seed ${seed} round ${round}: acked ${lastAcked} (${acked.length} this round), in flight ${inFlight ? 'yes' : 'no'}`).toBeLessThanOrEqual(lastAcked + 1);
      lost += lastAcked - Math.min(found, lastAcked);
      // The client's replay of what the server holds: the acknowledged edits up to the revision found, plus the
      // edit in flight if the server committed it before dying.
      const apply = (edit: Edit): void => {
        if (edit.op === 'pixels') {
          writeRect({ width: W, height: H, data: shadow[edit.frame]! }, edit.rect, edit.after);
          reviews[edit.frame] = 'edited';
        } else if (edit.op === 'frame:review') reviews[edit.frame] = edit.review;
      };
      for (const a of acked) if (a.revision <= found) apply(a.edit);
      if (inFlight && found === lastAcked + 1) apply(inFlight);
      for (let f = 0; f < FRAMES; f++) {
        expect([...(await project.raster(videoId, f)).raster.data], `seed ${seed} round ${round} frame ${f}`).toEqual([...shadow[f]!]);
        expect(project.video(videoId).frames[f]!.review).toBe(reviews[f]);
      }
      // Nothing corrupt on disk: every stored mask decodes (the open already validated manifest and journal).
      const masks = join(projectDir, 'masks', videoId);
      for (const name of (existsSync(masks) ? readdirSync(masks) : []).filter((n) => n.endsWith('.png'))) {
        await readRasterFile(join(projectDir, 'masks', videoId, name), W, H);
      }
      await project.close();
    }
    // Not a pass condition (the 1-s window allows more); printed so the log shows how tight durability is.
    console.log(`kill test seed ${seed}: ${lost} acknowledged edit(s) not yet durable at the kills, over ${KILLS} kills`);
  }, 120_000);

  it('SIGTERM and SIGINT flush and close: every acknowledged edit saved, lock released, nothing to recover', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const { child, api } = await startServer();
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const state = await api.invoke('project:state', {});
      if (!state.ok || !state.value) throw new Error('serve --project opened no project');
      const videoId = state.value.manifest.videos[0]!.id;
      let last = state.value.revision;
      for (let i = 0; i < 40; i++) {
        const result = await api.invoke('project:edit', {
          edits: [{ op: 'pixels', videoId, frame: i % FRAMES, rect: { x: i, y: 0, w: 1, h: H }, after: new Uint16Array(H).fill(1 + (i % 2)) }],
        });
        if (!result.ok) throw new Error(result.error.message);
        last = result.value.revision;
      }
      child.kill(signal);
      // An interrupted command exits 130 (README, CLI exit codes), after the same clean shutdown.
      expect(await exited).toBe(130);
      expect(existsSync(join(projectDir, '.avs-lock')), `${signal}: lock released`).toBe(false);
      const project = await openProject(projectDir, { listener: recorder() });
      expect(project.recovered, signal).toEqual([]);
      expect(project.revision, signal).toBe(last);
      expect((await project.raster(videoId, 39 % FRAMES)).raster.data[39]).toBe(2);
      await project.close();
    }
  }, 60_000);
});
