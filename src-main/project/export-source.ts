/**
 * The project as the dataset writers read it (src-main/dataset/export-source.ts): videos with their objects,
 * frames whose raster and JPEG are fetched one at a time (the raster from the project, the JPEG from the
 * session's media cache), audio by range. Objects are copied when the source is made, so an export sees one
 * consistent object list even while the annotator keeps editing.
 */
import { basename, extname } from 'node:path';
import type { ExportSource, ExportVideo } from '../dataset/export-source';
import { AppError } from '../pipeline/app-error';
import type { MediaCache } from '../session/media-cache';
import type { Project } from './project';

export function projectExportSource(project: Project, media: MediaCache, videoIds?: readonly string[]): ExportSource {
  const chosen = videoIds ? videoIds.map((id) => project.video(id)) : project.videos();
  const videos: ExportVideo[] = chosen.map((video) => {
    const ready = (): void => {
      if (!media.has(video.id)) throw new AppError('media', `${video.file.path} is missing: relink the video before exporting it`);
    };
    return {
      id: video.id, name: basename(video.file.path, extname(video.file.path)), width: video.width, height: video.height,
      durationSec: video.durationSec, hasAudio: video.hasAudio, objects: structuredClone(video.objects),
      frames: video.frames.map((frame) => ({
        index: frame.index, timeSec: frame.timeSec, review: frame.review,
        jpegPath: async () => (ready(), media.frameJpeg(video.id, frame.index)),
        raster: async () => (await project.raster(video.id, frame.index)).raster,
      })),
      audio: async (startSec, durationSec) => (ready(), media.audio(video.id, startSec, durationSec)),
    };
  });
  return { videos };
}
