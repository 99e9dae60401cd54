// `serve` and `demo` through main(argv): the browser-mode server answers with its token, stops on abort;
// the demo pre-labels the sample with the bundled model (both pointed at test files by env) and writes a
// valid dataset.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src-main/cli/main';
import type { CliIo } from '../../../src-main/cli/cli-io';
import { validateAvssDataset } from '../../../src-main/dataset';
import { EXPORT_TIMEOUT_MS, testModel } from '../app-support/test-model';
import { makeTempDir, makeVideo } from '../app-support/test-media';

const tmp = makeTempDir();
let clip: string;

function captureIo(): CliIo & { out: () => string; err: () => string } {
  let stdout = '';
  let stderr = '';
  return { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTty: false, out: () => stdout, err: () => stderr };
}

beforeAll(() => {
  vi.stubEnv('AVS_MODEL', testModel());
  // 10 s: one AVSS clip (a shorter sample gives none: clips always hold exactly 10 frames).
  clip = makeVideo(join(tmp.dir, 'sample.mp4'), { seconds: 10, width: 64, height: 48 });
  vi.stubEnv('AVS_SAMPLE_VIDEO', clip);
  // Untitled projects and the recent list go to the test's folder, not the user's settings.
  vi.stubEnv('AVS_DATA_DIR', join(tmp.dir, 'data'));
}, EXPORT_TIMEOUT_MS);
afterAll(() => {
  vi.unstubAllEnvs();
  tmp.cleanup();
});

describe('avs-annotator serve', () => {
  it('serves the API with a token on 127.0.0.1 and stops when aborted', async () => {
    const io = captureIo();
    const controller = new AbortController();
    const running = main(['serve', '--no-browser', '--port', '0', '--open', clip], io, controller.signal);
    await vi.waitFor(() => expect(io.out()).toContain('?token='), { timeout: 10_000 });
    const url = new URL(/http:\/\/\S+/.exec(io.out())![0]);
    expect(url.hostname).toBe('127.0.0.1');
    const res = await fetch(`${url.origin}/api/video:list`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-avs-token': url.searchParams.get('token')! }, body: '{}',
    });
    const body = await res.json() as { ok: boolean; value: { fileName: string }[] };
    expect(body.ok).toBe(true);
    expect(body.value.map((v) => v.fileName)).toEqual(['sample.mp4']);
    controller.abort();
    expect(await running).toBe(0);
    await expect(fetch(`${url.origin}/`)).rejects.toThrow();
  }, 20_000);

  it('refuses a bad port in one line', async () => {
    const io = captureIo();
    expect(await main(['serve', '--port', 'http'], io)).toBe(2);
    expect(io.err()).toBe('avs-annotator: error: --port must be a number from 0 to 65535, got http\n');
  });
});

describe('avs-annotator demo', () => {
  it('pre-labels the sample with the bundled model and writes a valid dataset', async () => {
    const io = captureIo();
    const out = join(tmp.dir, 'demo-ds');
    expect(await main(['demo', '--no-ui', '--out', out, '--device', 'cpu'], io)).toBe(0);
    expect(io.out()).toContain('Demo: wrote 1 AVSS clip(s)');
    expect(await validateAvssDataset(out)).toEqual([]);
  }, 30_000);
});
