/**
 * export:avss: one video of the open project, through ExportSource, to an AVSS dataset folder. The folder is
 * main's choice (a dialog in Electron, --out in browser mode), never a path from the renderer.
 */
import { resolve } from 'node:path';
import { exportAvss } from '../../pipeline/export-avss';
import { projectExportSource } from '../../project/export-source';
import type { AppContext, DomainHandlers } from './context';

export function exportHandlers(ctx: AppContext): DomainHandlers<'export'> {
  return {
    'export:avss': async ({ videoId, split }) => {
      const project = ctx.projects.require();
      project.video(videoId);
      const chosen = await ctx.dialogs.pickOutDir();
      if (!chosen) return null;
      return exportAvss(projectExportSource(project, ctx.media, [videoId]), { split, outDir: resolve(chosen) });
    },
  };
}
