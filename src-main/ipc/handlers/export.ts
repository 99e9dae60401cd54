/**
 * export:avss (one video, AVSS), export:preview (what an export would write) and export:dataset (any layout),
 * all from the open project through ExportSource. The folder of export:avss is main's choice (a dialog in
 * Electron, --out in browser mode), never a path from the renderer.
 */
import { resolve } from 'node:path';
import { AppError } from '../../pipeline/app-error';
import { exportAvss } from '../../pipeline/export-avss';
import { datasetExport, datasetPreview } from '../../pipeline/export-datasets';
import { projectExportSource } from '../../project/export-source';
import type { AppContext, DomainHandlers } from './context';

export function exportHandlers(ctx: AppContext): DomainHandlers<'export'> {
  const source = (videoIds?: readonly string[]): ReturnType<typeof projectExportSource> => {
    const project = ctx.projects.require();
    for (const id of videoIds ?? []) project.video(id);
    return projectExportSource(project, ctx.media, videoIds);
  };
  return {
    'export:avss': async ({ videoId, split }) => {
      const chosen = await ctx.dialogs.pickOutDir();
      if (!chosen) return null;
      return exportAvss(source([videoId]), { split, outDir: resolve(chosen) });
    },
    'export:preview': async (request) => datasetPreview(source(request.videoIds), request),
    'export:dataset': async ({ outDir, ...request }) => {
      const videos = source(request.videoIds);
      if (outDir && ctx.mode === 'electron') throw new AppError('bad-input', 'export:dataset: the folder is chosen in the folder dialog, not sent by the page');
      const chosen = outDir ?? (await ctx.dialogs.pickOutDir());
      return chosen ? datasetExport(videos, request, resolve(chosen)) : null;
    },
  };
}
