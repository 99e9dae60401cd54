/**
 * mediaPath -> file for both bridges (avs-app://ui/media/ in Electron, /media/ in browser mode): frames, thumbnails and
 * audio from the session's media cache; `mask` is a class-index PNG view of a frame's object raster (each pixel
 * its object's class), re-made when the project changed, for the renderer's class layers.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng } from '../dataset/png';
import type { ProjectSession } from '../project/project-session';
import { parseMediaPath, type MediaCache } from '../session/media-cache';
import { atomicWriteFile } from '../util/atomic-write';

export function mediaFiles(media: MediaCache, projects: ProjectSession): (mediaPath: string) => Promise<string | null> {
  const made = new Map<string, number>();
  async function maskView(videoId: string, index: number): Promise<string | null> {
    const project = projects.project;
    const video = project?.videos().find((v) => v.id === videoId);
    if (!project || !video || !video.frames[index]) return null;
    const file = join(media.dir(videoId, 'mask'), `${index}.png`);
    const key = `${project.dir}/${videoId}/${index}`;
    if (made.get(key) === project.revision) return file;
    const revision = project.revision;
    const { raster } = await project.raster(videoId, index);
    const classOf = new Uint8Array(65536);
    for (const object of video.objects) classOf[object.id] = object.classIndex;
    const classes = new Uint8Array(raster.data.length);
    for (let i = 0; i < classes.length; i++) classes[i] = classOf[raster.data[i]!]!;
    await mkdir(media.dir(videoId, 'mask'), { recursive: true });
    await atomicWriteFile(file, encodePng(raster.width, raster.height, 1, classes));
    made.set(key, revision);
    return file;
  }
  return async (mediaPath) => {
    const request = parseMediaPath(mediaPath);
    if (!request) return null;
    if (request.kind === 'mask') return maskView(request.videoId, request.index);
    return media.mediaFile(request);
  };
}
