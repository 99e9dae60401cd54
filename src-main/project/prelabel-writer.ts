/**
 * A pre-label into the project: revision 0 of each frame. The model's class-index masks become objects: one per
 * AVSS class the model finds in the video (an existing object of that class is reused, so re-running keeps ids),
 * its pixels are the class's pixels, and its sounding flag for a second is whether the model saw it then
 * (AVSS labels only sounding objects). Frames an annotator already edited (revision > 0) or approved are left
 * alone, and so are the sounding flags of locked objects (re-running a window keeps the annotator's work).
 */
import type { ModelInfo, ProviderStatus } from '../shared/ipc-contract';
import { AVSS_CLASSES } from '../shared/avss-classes';
import { isBinary } from '../shared/onnx-contract';
import type { MaskSource, ProjectObject, VideoDoc } from '../shared/project-model';
import { decodePng } from '../dataset/png';
import type { WindowFrame } from '../pipeline/prelabel-video';
import type { FramesBuild, FrameWrite, Project } from './project';

export function modelSource(model: ModelInfo, provider: ProviderStatus): MaskSource {
  return { kind: 'model', model: `${model.model}${model.variant ? `-${model.variant}` : ''}`.slice(0, 200), version: model.version.slice(0, 100), provider: provider.active };
}

/** Why a model's masks cannot become project objects, or null when they can. */
export function prelabelProblem(model: ModelInfo): string | null {
  if (isBinary(model)) return `${model.fileName} is a binary ${model.task} model: its masks have no AVSS class, so they are not stored in the project`;
  if (!model.classes.slice(1).some((name) => AVSS_CLASSES.includes(name))) return `${model.fileName} names no AVSS class`;
  return null;
}

export class PrelabelWriter {
  /** Model class index -> AVSS class index (0: not an AVSS class, left out). */
  private readonly avssOf: number[];

  constructor(private readonly project: Project, private readonly videoId: string, model: ModelInfo, private readonly source: MaskSource) {
    this.avssOf = model.classes.map((name, i) => (i === 0 ? 0 : Math.max(0, AVSS_CLASSES.indexOf(name))));
  }

  async window(frames: readonly WindowFrame[]): Promise<void> {
    // Inflating the label PNGs and mapping their pixels to object ids is the costly part (a whole window at once
    // stalled the main thread ~40 ms). It is done here, one frame per turn of the event loop, with the ids the
    // document gives now; the build under the document reuses those rasters when it assigns the same ids (no
    // edit added or removed an object of these classes meanwhile) and maps again only when it does not.
    const planned = this.assign(this.project.video(this.videoId), frames).idOf;
    const rasters = new Map<number, Uint16Array>();
    for (const { label, png } of frames) {
      rasters.set(label.index, this.mapPixels(decodePng(png).data, label.classes, planned));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.project.writeFrames(this.videoId, (video) => this.build(video, frames, planned, rasters));
  }

  /** The object each AVSS class of the window becomes: an existing one of that class, else a new one. */
  private assign(video: VideoDoc, frames: readonly WindowFrame[]): { objects: ProjectObject[]; nextObjectId: number; idOf: Map<number, number> } {
    const objects = structuredClone(video.objects);
    let nextObjectId = video.nextObjectId;
    const idOf = new Map<number, number>();
    for (const object of objects) if (!idOf.has(object.classIndex)) idOf.set(object.classIndex, object.id);
    for (const { label } of frames) {
      if (!this.keeps(video, label.index)) continue;
      for (const c of label.classes) {
        const avss = this.avssOf[c] ?? 0;
        if (avss === 0 || idOf.has(avss)) continue;
        const z = Math.max(0, ...objects.map((o) => o.z)) + 1;
        const object: ProjectObject = { id: nextObjectId++, classIndex: avss, visible: true, locked: false, z, sounding: video.frames.map(() => false) };
        objects.push(object);
        idOf.set(avss, object.id);
      }
    }
    return { objects, nextObjectId, idOf };
  }

  /** Frames the annotator edited (revision > 0) or approved are kept as they are. */
  private keeps(video: VideoDoc, index: number): boolean {
    const state = video.frames[index];
    return state !== undefined && state.revision === 0 && state.review === 'unreviewed';
  }

  /** The frame's model classes as object ids (0 = background, or a class that is not an AVSS class). */
  private mapPixels(classes: Uint8Array, present: readonly number[], idOf: ReadonlyMap<number, number>): Uint16Array {
    const idOfModelClass = new Uint16Array(256);
    for (const c of present) {
      const avss = this.avssOf[c] ?? 0;
      if (avss !== 0) idOfModelClass[c] = idOf.get(avss) ?? 0;
    }
    const data = new Uint16Array(classes.length);
    for (let i = 0; i < data.length; i++) data[i] = idOfModelClass[classes[i]!]!;
    return data;
  }

  private build(video: VideoDoc, frames: readonly WindowFrame[], planned: ReadonlyMap<number, number>, rasters: ReadonlyMap<number, Uint16Array>): FramesBuild | null {
    const { objects, nextObjectId, idOf } = this.assign(video, frames);
    const writes: FrameWrite[] = [];
    for (const { label, png } of frames) {
      if (!this.keeps(video, label.index)) continue;
      const avssHere = label.classes.map((c) => this.avssOf[c] ?? 0).filter((a) => a !== 0);
      const present = new Set(avssHere.map((a) => idOf.get(a)!));
      // A locked object is the annotator's: its sounding flags stay as they are. A video without sound has
      // nothing sounding; its pixels stay, so the annotator can still mark objects.
      for (const object of objects) if (!object.locked) object.sounding[label.index] = video.hasAudio && present.has(object.id);
      const same = avssHere.every((a) => planned.get(a) === idOf.get(a));
      const data = same ? rasters.get(label.index)! : this.mapPixels(decodePng(png).data, label.classes, idOf);
      writes.push({ index: label.index, timeSec: label.timeSec, source: this.source, raster: { width: video.width, height: video.height, data } });
    }
    return writes.length > 0 ? { frames: writes, objects, nextObjectId } : null;
  }
}
