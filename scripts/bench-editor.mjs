#!/usr/bin/env node
// Editor benchmarks in real Chromium against the real browser-mode server, on a 1920x1080 video with 10 objects:
// brush pointer-event handling (event -> pixels drawn), frame switch (sequential stepping), first frame on screen
// after opening, undo of a large stroke, memory of a 1000-stroke history. Prints one JSON line per figure
// {name, value, unit, goal} like the rest of `npm run bench`. Needs dist/renderer + dist/main (built here).
//   node scripts/bench-editor.mjs [--runs N]
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import ffmpeg from '@ffmpeg-installer/ffmpeg';
import { repoRoot } from './python-env.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string' }, 'no-build': { type: 'boolean' } } });
const runs = Number(values.runs ?? 300);
const chromiumPath = process.env['AVS_CHROMIUM'] ?? '/usr/bin/chromium';

function print(name, value, unit, goal) {
  process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, goal })}\n`);
}

function p95(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

if (!values['no-build']) {
  for (const args of [[join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], [join(repoRoot, 'scripts', 'build-main.mjs')]]) {
    const r = spawnSync(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'avs-bench-editor-'));
const video = join(work, 'bench-1080p.mp4');
execFileSync(ffmpeg.path, [
  '-hide_banner', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=25:duration=12',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100:duration=12', '-c:v', 'libx264', '-preset', 'veryfast',
  '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', video,
]);

const server = spawn(process.execPath, [join(repoRoot, 'bin', 'avs-annotator.mjs'), 'serve', '--port', '0', '--no-browser'], {
  cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROWSER: 'none' },
});
const url = await new Promise((resolve, reject) => {
  let text = '';
  const timer = setTimeout(() => reject(new Error(`serve printed no URL:\n${text}`)), 30_000);
  const onData = (chunk) => {
    text += chunk.toString();
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(text);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
});

const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  await page.goto(`${url}&debug=1`);
  await page.getByTestId('video-path').fill(video);

  // First frame on screen: from the click on Open to the frame image drawn by the frame view.
  const t0 = await page.evaluate(() => performance.now());
  await page.getByTestId('open-video').click();
  await page.waitForFunction(() => performance.getEntriesByName('avs:first-frame').length > 0, null, { timeout: 180_000 });
  const firstFrame = await page.evaluate((start) => performance.getEntriesByName('avs:first-frame')[0].startTime - start, t0);
  print('editor first frame on screen after opening 1080p', firstFrame / 1000, 's', '<= 0.5');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="frame-thumb"]').length > 0);

  // Ten objects, each a block on every frame (the document the rest of the figures run on).
  await page.evaluate(() => {
    const { store, ops } = window.avsDebug;
    const ed = store.editor;
    for (let k = 0; k < 10; k++) ops.createObject(ed, 1 + k * 7);
    const doc = store.doc;
    for (let f = 0; f < doc.frameCount; f++) {
      const r = doc.raster(f);
      doc.objects.forEach((o, k) => {
        const x0 = 80 + k * 180, y0 = 100 + (k % 3) * 250;
        for (let y = y0; y < y0 + 300; y++) r.data.fill(o.id, y * r.width + x0, y * r.width + x0 + 160);
      });
    }
    store.bump();
    ed.setFrame(0);
    ed.select(doc.objects[0].id);
    ed.setTool('brush');
    ed.setBrushSize(20);
  });
  await page.waitForFunction(() => window.avsDebug.showing(0));
  await page.evaluate(() => window.avsDebug.store.pixelsVersion++);

  // Brush: real PointerEvents dispatched on the stage element; each measured from dispatch to the overlay drawn.
  const brush = await page.evaluate(async (n) => {
    const el = document.querySelector('[data-testid="stage"]');
    const box = el.getBoundingClientRect();
    const ev = (type, i) => new PointerEvent(type, {
      bubbles: true, cancelable: true, pointerId: 1, button: 0, buttons: 1, pointerType: 'mouse',
      clientX: box.left + box.width * (0.2 + 0.6 * ((i % 200) / 200)), clientY: box.top + box.height * (0.3 + 0.3 * Math.sin(i / 15)),
    });
    const times = [];
    el.dispatchEvent(ev('pointerdown', 0));
    for (let i = 1; i <= n; i++) {
      const t = performance.now();
      el.dispatchEvent(ev('pointermove', i));
      window.avsDebug.drawNow();
      times.push(performance.now() - t);
      if (i % 20 === 0) await new Promise((r) => setTimeout(r, 0));
    }
    el.dispatchEvent(ev('pointerup', n));
    return times;
  }, runs);
  print('editor brush pointer event p95 (event -> pixels drawn, 1080p, 10 objects)', p95(brush), 'ms', '<= 4');

  // Frame switch, stepping as an annotator does (arrow keys, a short look at each frame): from the key press to
  // the new frame's image and its masks both on screen (`showing` checks both). First one pass over
  // every frame, so main has decoded them all (its lazy media cache is not the editor's time; the first
  // visit of each frame is measured apart).
  const frames = await page.evaluate(() => window.avsDebug.store.doc.frameCount);
  const firstVisit = [];
  for (let f = 1; f < frames; f++) {
    firstVisit.push(await page.evaluate(async (to) => {
      const dbg = window.avsDebug;
      const t = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', code: 'ArrowRight', bubbles: true, cancelable: true }));
      while (!dbg.showing(to)) await new Promise((r) => setTimeout(r, 2));
      return performance.now() - t;
    }, f));
  }
  print('editor frame switch, first visit of each frame (includes main decoding it) p95', p95(firstVisit), 'ms', 'n/a');
  for (let f = frames - 2; f >= 0; f--) {
    await page.evaluate(async (to) => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', code: 'ArrowLeft', bubbles: true, cancelable: true }));
      while (!window.avsDebug.showing(to)) await new Promise((r) => setTimeout(r, 2));
    }, f);
  }
  const switches = [];
  const cdp = process.env['AVS_BENCH_PROFILE'] ? await page.context().newCDPSession(page) : null;
  if (cdp) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.start'); }
  for (let i = 0; i < 40; i++) {
    const target = Math.floor(i / (frames - 1)) % 2 === 0 ? (i % (frames - 1)) + 1 : frames - 2 - (i % (frames - 1));
    switches.push(await page.evaluate(async (to) => {
      const dbg = window.avsDebug;
      const key = to > dbg.frame() ? 'ArrowRight' : 'ArrowLeft';
      const t = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key, code: key, bubbles: true, cancelable: true }));
      await dbg.settled();
      const settled = performance.now() - t;
      while (!dbg.showing(to)) await new Promise((r) => setTimeout(r, 1));
      dbg.drawNow();
      return { total: performance.now() - t, settled };
    }, target));
    await page.waitForTimeout(150);
  }
  if (cdp) {
    const { profile } = await cdp.send('Profiler.stop');
    const self = new Map();
    const dt = profile.timeDeltas;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    profile.samples.forEach((id, k) => {
      const n = byId.get(id);
      const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
      self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
    });
    process.stderr.write([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n') + '\n');
    // and self time by call chain (8 frames up), for finding which component or paint a switch waits for
    const parent = new Map();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const chains = new Map();
    profile.samples.forEach((id, k) => {
      const n = byId.get(id);
      if (['(idle)', '(program)', '(garbage collector)'].includes(n.callFrame.functionName)) return;
      const names = [];
      for (let p = id; p !== undefined && names.length < 8; p = parent.get(p)) names.push(byId.get(p).callFrame.functionName || '(anon)');
      const key = names.join(' < ');
      chains.set(key, (chains.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
    });
    process.stderr.write([...chains.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${v.toFixed(0)} ms ${k}`).join('\n') + '\n');
  }
  print('editor frame switch p95 (1080p, stepping, 10 objects)', p95(switches.map((s) => s.total)), 'ms', '<= 30');
  if (process.env['AVS_BENCH_DIAG']) process.stderr.write(`frame switch (total/settled ms): ${switches.map((s) => `${s.total.toFixed(0)}/${s.settled.toFixed(0)}`).join(' ')}\n`);

  // Undo of a large stroke: a 200-px brush across the whole frame, undone and redone.
  const undo = await page.evaluate(async () => {
    const { store } = window.avsDebug;
    const ed = store.editor;
    ed.setFrame(0);
    await window.avsDebug.settled();
    ed.setBrushSize(200);
    ed.pointerDown({ x: 50, y: 540 });
    for (let x = 50; x <= 1870; x += 20) ed.pointerMove({ x, y: 540 + 300 * Math.sin(x / 200) });
    ed.pointerUp({ x: 1870, y: 540 });
    const times = [];
    for (let i = 0; i < 30; i++) {
      const t = performance.now();
      store.registry.run('edit.undo');
      window.avsDebug.drawNow();
      times.push(performance.now() - t);
      store.registry.run('edit.redo');
      await new Promise((r) => setTimeout(r, 0));
    }
    return times;
  });
  print('editor undo of a large stroke p95 (200 px brush across 1080p)', p95(undo), 'ms', '<= 16');

  // History memory: 1000 strokes of a 20-px brush, ~60 px long, on several frames.
  const memory = await page.evaluate(() => {
    const { store } = window.avsDebug;
    const ed = store.editor;
    ed.history.clear();
    ed.setBrushSize(20);
    const heap0 = performance.memory?.usedJSHeapSize ?? 0;
    for (let i = 0; i < 1000; i++) {
      ed.setFrame(i % store.doc.frameCount);
      const x = 100 + ((i * 37) % 1700), y = 100 + ((i * 53) % 880);
      ed.pointerDown({ x, y });
      ed.pointerMove({ x: x + 30, y: y + 20 });
      ed.pointerMove({ x: x + 60, y: y + 10 });
      ed.pointerUp({ x: x + 60, y: y + 10 });
    }
    return { bytes: ed.history.bytes, entries: ed.history.undoCount, heap: (performance.memory?.usedJSHeapSize ?? 0) - heap0 };
  });
  print(`editor history of ${memory.entries} strokes (20 px brush), patch bytes`, memory.bytes / 2 ** 20, 'MiB', 'cap 256');
} finally {
  await browser.close();
  server.kill('SIGINT');
  rmSync(work, { recursive: true, force: true });
}
