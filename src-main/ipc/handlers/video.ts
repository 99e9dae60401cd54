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
      return chosen ? openVideo(ctx, chosen) : null;
    },
    'video:list': async () => (ctx.projects.project?.videos() ?? []).map(videoInfo),
  };
}
