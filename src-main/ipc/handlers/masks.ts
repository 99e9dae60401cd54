/** masks:import : a folder of per-frame label PNGs into a video of the open project (project/mask-folder-import.ts). */
import { resolve } from 'node:path';
import { AppError } from '../../pipeline/app-error';
import { importMaskFolder } from '../../project/mask-folder-import';
import type { AppContext, DomainHandlers } from './context';

export function maskHandlers(ctx: AppContext): DomainHandlers<'masks'> {
  return {
    'masks:import': async ({ videoId, path }) => {
      const project = ctx.projects.require();
      project.video(videoId); // an unknown video is refused before any dialog opens
      if (!path && !ctx.dialogs.pickMaskDir) throw new AppError('unsupported', 'browser mode has no folder dialog: give the mask folder path');
      const dir = path ?? (await ctx.dialogs.pickMaskDir!());
      return dir ? importMaskFolder(project, videoId, resolve(dir)) : null;
    },
  };
}
