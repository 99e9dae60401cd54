/** project:* : open / create / close / recent / state / raster / edit / flush / relink. */
import type { Edit } from '../../shared/project-model';
import { AppError } from '../../pipeline/app-error';
import type { AppContext, DomainHandlers } from './context';

async function pickDir(ctx: AppContext, path: string | undefined, purpose: 'open' | 'create'): Promise<string | null> {
  if (path) return path;
  if (!ctx.dialogs.pickProjectDir) throw new AppError('unsupported', 'browser mode has no folder dialog: give the project folder path');
  return ctx.dialogs.pickProjectDir(purpose);
}

export function projectHandlers(ctx: AppContext): DomainHandlers<'project'> {
  return {
    'project:open': async ({ path }) => {
      const dir = await pickDir(ctx, path, 'open');
      return dir ? ctx.projects.open(dir) : null;
    },
    'project:create': async ({ path, name }) => {
      const dir = await pickDir(ctx, path, 'create');
      return dir ? ctx.projects.create(dir, name) : null;
    },
    'project:close': async () => ({ closed: await ctx.projects.close() }),
    'project:recent': async () => ctx.projects.recent.list(),
    'project:state': async () => ctx.projects.state(),
    'project:raster': async ({ videoId, frame }) => {
      const { raster, revision } = await ctx.projects.require().raster(videoId, frame);
      return { videoId, frame, revision, raster };
    },
    'project:edit': async ({ edits }) => ctx.projects.require().commit(edits as Edit[]),
    'project:flush': async () => {
      const project = ctx.projects.require();
      await project.flush();
      return { revision: project.revision, save: project.saveState };
    },
    'project:relink': async ({ videoId, path }) => {
      const chosen = path ?? (await ctx.dialogs.pickVideo());
      return chosen ? ctx.projects.relink(videoId, chosen) : null;
    },
  };
}
