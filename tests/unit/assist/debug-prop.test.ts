import { it } from 'vitest';
import { InferenceHost } from '../../../src-main/inference/inference-host';
import { AssistService } from '../../../src-main/assist/assist-service';
import { resolveAssistModels } from '../../../src-main/assist/assist-models';
import { frameSampleTimes, probeVideo } from '../../../src-main/media';
import { maskIou } from '../../../src-main/shared/binary-mask';
import { maskToLowRes } from '../../../src-main/assist/sam-contract';
import { grownBox, interiorPoint, maskBounds } from '../../../src-main/assist/mask-prompts';
import { makeTempDir } from '../helpers/media-fixtures';
import { DISC, discMask, makeDiscVideo } from './moving-disc';
it('debug', async () => {
  const file = await makeDiscVideo(await makeTempDir());
  const probe = await probeVideo(file);
  const video = { id: 'vdisc', file, probe, times: frameSampleTimes(probe) };
  const host = new InferenceHost();
  const s = new AssistService(host, resolveAssistModels(), () => video);
  const prev = discMask(video.times[0]!);
  const truth = discMask(video.times[1]!);
  const W = DISC.width, H = DISC.height;
  const b = maskBounds(prev, W, H)!; const p = interiorPoint(prev, W, H)!; const box = grownBox(b, W, H, 0.25);
  console.log('bounds', b, 'point', p, 'box', box);
  await s.embed(video.id, [1]);
  const dec = (x: Parameters<InferenceHost['samDecode']>[0]) => host.samDecode(x);
  const key = 'vdisc/1';
  for (const [name, inp] of [
    ['point', { points: [p] }], ['box', { points: [], box }], ['point+box', { points: [p], box }],
    ['point+mask', { points: [p], maskInput: maskToLowRes(prev, W, H) }], ['all', { points: [p], box, maskInput: maskToLowRes(prev, W, H) }], ['box+mask', { points: [], box, maskInput: maskToLowRes(prev, W, H) }],
  ] as const) {
    const o = await dec({ key, ...(inp as object) } as never);
    let area = 0; for (const v of o!.bits) area += v;
    console.log(name, 'iou', maskIou(o!.bits, truth).toFixed(3), 'area', area, 'score', o!.score);
  }
  await host.dispose();
}, 60000);
