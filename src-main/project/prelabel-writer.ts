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
    await this.project.writeFrames(this.videoId, (video) => this.build(video, frames));
  }

  private build(video: VideoDoc, frames: readonly WindowFrame[]): FramesBuild | null {
    const objects = structuredClone(video.objects);
    let nextObjectId = video.nextObjectId;
    const objectOfClass = new Map<number, ProjectObject>();
    for (const object of objects) if (!objectOfClass.has(object.classIndex)) objectOfClass.set(object.classIndex, object);
    const objectFor = (classIndex: number): ProjectObject => {
      let object = objectOfClass.get(classIndex);
      if (!object) {
        const z = Math.max(0, ...objects.map((o) => o.z)) + 1;
        object = { id: nextObjectId++, classIndex, visible: true, locked: false, z, sounding: video.frames.map(() => false) };
        objects.push(object);
        objectOfClass.set(classIndex, object);
      }
      return object;
    };
    const writes: FrameWrite[] = [];
    for (const { label, png } of frames) {
      // Kept: frames the annotator edited (revision > 0) or approved as they were.
      const state = video.frames[label.index];
      if (!state || state.revision > 0 || state.review !== 'unreviewed') continue;
      const idOfModelClass = new Uint16Array(256);
      const present = new Set<number>();
      for (const c of label.classes) {
        const avss = this.avssOf[c] ?? 0;
        if (avss === 0) continue;
        const object = objectFor(avss);
        idOfModelClass[c] = object.id;
        present.add(object.id);
      }
      // A locked object is the annotator's: its sounding flags stay as they are. A video without sound has
      // nothing sounding; its pixels stay, so the annotator can still mark objects.
      for (const object of objects) if (!object.locked) object.sounding[label.index] = video.hasAudio && present.has(object.id);
      const classes = decodePng(png).data;
      const data = new Uint16Array(classes.length);
      for (let i = 0; i < data.length; i++) data[i] = idOfModelClass[classes[i]!]!;
      writes.push({ index: label.index, timeSec: label.timeSec, source: this.source, raster: { width: video.width, height: video.height, data } });
    }
    return writes.length > 0 ? { frames: writes, objects, nextObjectId } : null;
  }
}
