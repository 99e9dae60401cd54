// The app core's model handling and app:info: the app starts even when its default model is broken (the UI says
// why), a model opened by path replaces it, and unknown ids are not-found errors, not crashes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserDialogs } from '../../../src-main/cli/serve-command';
import { createAppCore, type AppCore } from '../../../src-main/ipc/app-core';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir } from '../app-support/test-media';

const tmp = makeTempDir();
let core: AppCore;
const broken = join(tmp.dir, 'broken.onnx');

beforeAll(async () => {
  writeFileSync(broken, 'not a model');
  core = await createAppCore({ mode: 'browser', dialogs: browserDialogs(tmp.dir), modelPath: broken, workParent: tmp.dir });
});
afterAll(async () => {
  await core?.dispose();
  tmp.cleanup();
});

describe('app core', () => {
  it('starts with a broken default model and says why', async () => {
    expect(await core.handleRequest('model:info', {})).toEqual({
      ok: false, error: { code: 'model', message: `the default model cannot be used: ${broken}: not an ONNX model file` },
    });
    await expect(createAppCore({ mode: 'browser', dialogs: browserDialogs(tmp.dir), modelPath: broken, modelRequired: true }))
      .rejects.toThrow(`${broken}: not an ONNX model file`);
  });

  it('opens a model by path; browser mode has no dialog to open one without', async () => {
    const opened = await core.handleRequest('model:open', { path: testModel() });
    expect(opened).toMatchObject({ ok: true, value: { task: 'avss', framesPerClip: 10, fileName: expect.stringMatching(/\.onnx$/) } });
    expect(await core.handleRequest('model:info', {})).toEqual(opened);
    expect(await core.handleRequest('model:open', {})).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  }, EXPORT_TIMEOUT_MS);

  it('reports app info with the providers of this build', async () => {
    const info = await core.handleRequest('app:info', {});
    expect(info).toMatchObject({ ok: true, value: { mode: 'browser', version: expect.stringMatching(/^\d+\.\d+\.\d+$/) } });
    expect((info as { value: { providers: string[] } }).value.providers).toContain('cpu');
  });

  it('answers unknown ids with not-found, and project requests without a project with bad-input', async () => {
    expect(await core.handleRequest('prelabel:result', { videoId: 'vnope' })).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('no project is open') } });
    expect(await core.handleRequest('project:state', {})).toEqual({ ok: true, value: null });
    expect(await core.handleRequest('project:create', { path: join(tmp.dir, 'proj') })).toMatchObject({ ok: true, value: { dir: join(tmp.dir, 'proj'), revision: 0 } });
    expect(await core.handleRequest('prelabel:result', { videoId: 'vnope' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await core.handleRequest('prelabel:start', { videoId: 'vnope', device: 'cpu' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await core.handleRequest('prelabel:cancel', { jobId: 'jnope' })).toEqual({ ok: true, value: { cancelled: false } });
    expect(await core.handleRequest('video:open', { path: join(tmp.dir, 'missing.mp4') })).toMatchObject({ ok: false, error: { code: 'media' } });
  });
});
