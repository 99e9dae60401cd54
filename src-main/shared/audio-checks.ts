/**
 * Audio-aware checks of one video of the annotation document, as pure functions (the checks panel lists them;
 * tests run them on crafted documents). Each item names the frame (= second) and, where it applies, the object,
 * so the panel can jump there.
 *   mask-silent          the object has pixels in a second where it is marked silent (the export leaves them out)
 *   sounding-no-mask     the object is marked sounding but has no pixels in that frame (nothing is exported)
 *   sounding-on-silence  the object is marked sounding in a second whose audio is silent
 *   unreviewed           the frame was never edited nor approved
 */
import type { ProjectObject, VideoDoc } from './project-model';

export const CHECK_KINDS = ['mask-silent', 'sounding-no-mask', 'sounding-on-silence', 'unreviewed'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

export interface CheckItem {
  kind: CheckKind;
  frame: number;
  objectId?: number;
  message: string;
}

export interface CheckInput {
  video: { frames: readonly VideoDoc['frames'][number][]; objects: readonly ProjectObject[] };
  /** Pixels per object id of each frame's raster (index = frame); undefined where the raster is not loaded. */
  pixels: readonly (ReadonlyMap<number, number> | undefined)[];
  /** RMS dBFS per second; omitted until measured (then the silence check is skipped). */
  levels?: readonly number[];
  silenceDbfs?: number;
}

function objectName(o: ProjectObject): string {
  return o.name && o.name.length > 0 ? o.name : `object ${o.id}`;
}

export function audioChecks(input: CheckInput): CheckItem[] {
  const items: CheckItem[] = [];
  const { frames, objects } = input.video;
  const silence = input.silenceDbfs ?? -50;
  for (const frame of frames) {
    const k = frame.index;
    const counts = input.pixels[k];
    for (const o of objects) {
      const sounding = o.sounding[k] === true;
      const area = counts?.get(o.id) ?? 0;
      const name = objectName(o);
      if (counts && area > 0 && !sounding) {
        items.push({ kind: 'mask-silent', frame: k, objectId: o.id, message: `${name} has a mask in second ${k} but is marked silent: the export leaves it out` });
      }
      if (counts && area === 0 && sounding) {
        items.push({ kind: 'sounding-no-mask', frame: k, objectId: o.id, message: `${name} is marked sounding in second ${k} but has no mask there` });
      }
      const level = input.levels?.[k];
      if (sounding && level !== undefined && level < silence) {
        items.push({ kind: 'sounding-on-silence', frame: k, objectId: o.id, message: `${name} is marked sounding in second ${k}, whose audio is silent (${level.toFixed(0)} dBFS)` });
      }
    }
    if (frame.review === 'unreviewed') items.push({ kind: 'unreviewed', frame: k, message: `frame ${k} is not reviewed` });
  }
  return items;
}

/** Counts per kind, for the panel's header. */
export function countByKind(items: readonly CheckItem[]): Record<CheckKind, number> {
  const out = Object.fromEntries(CHECK_KINDS.map((k) => [k, 0])) as Record<CheckKind, number>;
  for (const item of items) out[item.kind]++;
  return out;
}
