/** video:open (into the open project; an untitled one is made when none is open) and video:list. */
import { isAbsolute, resolve } from 'node:path';
import type { VideoInfo } from '../../shared/ipc-contract';
import { probeVideo } from '../../media';
import { videoInfo } from '../../project/project-session';
import type { AppContext, DomainHandlers } from './context';

export async function openVideo(ctx: AppContext, path: string): Promise<VideoInfo> {
  const file = isAbsolute(path) ? path : resolve(path);
  const probe = await probeVideo(file);
  return videoInfo(await ctx.projects.addVideo(file, probe));
}

export function videoHandlers(ctx: AppContext): DomainHandlers<'video'> {
  return {
    'video:open': async ({ path }) => {
      const chosen = path ?? (await ctx.dialogs.pickVideo());
      if (!chosen) return null;
      const info = await openVideo(ctx, chosen);
      // The window asks for frame 0 first thing: its decode starts now, not a round trip later.
      void ctx.media.mediaFile({ videoId: info.videoId, kind: 'frame', index: 0 }).catch(() => undefined);
      return info;
    },
    'video:list': async () => (ctx.projects.project?.videos() ?? []).map(videoInfo),
  };
}
