/** project:* : open / create / close / save as / recent / state / raster / edit / flush / relink. */
import { stat } from 'node:fs/promises';
import type { RecentEntry } from '../../shared/ipc-contract';
import type { Edit } from '../../shared/project-model';
import { AppError } from '../../pipeline/app-error';
import { manifestPath } from '../../project/layout';
import type { AppContext, DomainHandlers, ProjectDirPurpose } from './context';

async function pickDir(ctx: AppContext, path: string | undefined, purpose: ProjectDirPurpose): Promise<string | null> {
  if (path) return path;
  if (!ctx.dialogs.pickProjectDir) throw new AppError('unsupported', 'browser mode has no folder dialog: give the project folder path');
  return ctx.dialogs.pickProjectDir(purpose);
}

/** The recent list, each entry marked missing when its folder no longer holds a project (moved, deleted). */
async function recentEntries(ctx: AppContext): Promise<RecentEntry[]> {
  const list = await ctx.projects.recent.list();
  return Promise.all(list.map(async (entry) => ({
    ...entry, missing: !(await stat(manifestPath(entry.dir)).then((s) => s.isFile(), () => false)),
  })));
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
    'project:save-as': async ({ path }) => {
      const dir = await pickDir(ctx, path, 'save-as');
      return dir ? ctx.projects.saveAs(dir) : null;
    },
    'project:recent': async () => recentEntries(ctx),
    'project:forget-recent': async ({ path }) => {
      await ctx.projects.recent.remove(path);
      return recentEntries(ctx);
    },
    'project:state': async () => ctx.projects.state(),
    'project:raster': async ({ videoId, frame }) => {
      const { raster, revision } = await (await ctx.projects.ready()).raster(videoId, frame);
      return { videoId, frame, revision, raster };
    },
    'project:edit': async ({ edits }) => (await ctx.projects.ready()).commit(edits as Edit[]),
    'project:flush': async () => {
      const project = await ctx.projects.ready();
      await project.flush();
      return { revision: project.revision, save: project.saveState };
    },
    'project:relink': async ({ videoId, path }) => {
      const chosen = path ?? (await ctx.dialogs.pickVideo());
      return chosen ? ctx.projects.relink(videoId, chosen) : null;
    },
  };
}
