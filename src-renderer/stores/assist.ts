/**
 * Assistance in the renderer: the document port the editor binds (objects, frames, rasters, committing edits
 * through its undo history), click-to-mask (clicks and a box on the frame -> a proposed mask for the selected
 * object, accepted with Enter, refined by more clicks), propagation (proposals for other frames; frames the
 * annotator edited or approved are only overwritten after asking), the listening check and the checks list.
 * Main computes; this store only asks and turns answers into Edit ops.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AssistInfo, ListenResult } from '../../src-main/shared/ipc-contract';
import { decodeMask, encodeMask, type BinaryMask } from '../../src-main/shared/binary-mask';
import { maskEdit, propagationPlan } from '../../src-main/shared/assist-edits';
import { audioChecks, type CheckItem } from '../../src-main/shared/audio-checks';
import type { Edit, FrameState, ObjectRaster, ProjectObject } from '../../src-main/shared/project-model';
import { useErrorStore } from './errors';
import { gestureOutcome, isDrag, spanBox, type GestureStart, type Pos, type PromptBox } from '../editor/click-gesture';
import { useSessionStore } from './session';

/** What the editor gives assistance: read access to the document and one way to commit edits (undoable). */
export interface DocumentPort {
  videoId: string;
  objects(): readonly ProjectObject[];
  frames(): readonly FrameState[];
  /** The frame's object-id raster when loaded. */
  raster(frame: number): ObjectRaster | undefined;
  selectedObject(): number | null;
  /** Selects an object (a check item was clicked). */
  select(objectId: number): void;
  /** Commits edits as one undo step (the editor sends them to main as `project:edit`). */
  commit(edits: Edit[]): void;
  /** Calls `listener` whenever a frame's pixels change (a stroke, an undo, a raster loaded); returns the unsubscribe. */
  onPixels(listener: (frame: number) => void): () => void;
}

export interface ClickPoint { x: number; y: number; positive: boolean }
export type AskOverwrite = (frames: number[]) => Promise<boolean>;

export const useAssistStore = defineStore('assist', () => {
  const errors = useErrorStore();
  const port = shallowRef<DocumentPort | null>(null);
  /** Bumped by the editor on every document change (the port's getters are not reactive themselves). */
  const version = ref(0);
  const info = ref<AssistInfo | null>(null);
  const clickMode = ref(false);
  const points = ref<ClickPoint[]>([]);
  const box = ref<PromptBox | null>(null);
  /** The press of a click-to-mask gesture in progress, and its rubber-band box once it became a drag. */
  let dragStart: GestureStart | null = null;
  const dragBox = ref<PromptBox | null>(null);
  const proposal = shallowRef<{ frame: number; mask: BinaryMask; score: number } | null>(null);
  const busy = ref(false);
  const listen = shallowRef<ListenResult | null>(null);
  const levels = shallowRef<number[] | null>(null);
  const silenceDbfs = ref(-50);

  const objects = computed(() => (void version.value, port.value ? port.value.objects() : []));
  const frames = computed(() => (void version.value, port.value ? port.value.frames() : []));
  /**
   * Pixels per object id by frame. A frame is recounted only after its pixels changed (the port's pixel events)
   * or its raster was replaced or evicted: recounting every 1080p raster on each change made a frame switch take
   * seconds.
   */
  const pixelCounts = new Map<number, { raster: ObjectRaster; counts: Map<number, number> }>();
  let offPixels: () => void = () => {};
  function countsOf(p: DocumentPort, frame: number): Map<number, number> | undefined {
    const raster = p.raster(frame);
    if (!raster) return undefined;
    const cached = pixelCounts.get(frame);
    if (cached && cached.raster === raster) return cached.counts;
    const counts = new Map<number, number>();
    for (const id of raster.data) if (id !== 0) counts.set(id, (counts.get(id) ?? 0) + 1);
    pixelCounts.set(frame, { raster, counts });
    return counts;
  }
  const checks = computed<CheckItem[]>(() => {
    void version.value;
    const p = port.value;
    if (!p) return [];
    const counts = p.frames().map((f) => countsOf(p, f.index));
    return audioChecks({ video: { frames: p.frames(), objects: p.objects() }, pixels: counts, ...(levels.value ? { levels: levels.value } : {}), silenceDbfs: silenceDbfs.value });
  });

  function bind(next: DocumentPort | null): void {
    offPixels();
    pixelCounts.clear();
    offPixels = next ? next.onPixels((frame) => void pixelCounts.delete(frame)) : () => {};
    port.value = next;
    version.value++;
    reset();
  }
  /** The document's objects, frames or pixels changed; `recount` when rasters were written behind the port's events. */
  function touch(recount = false): void {
    if (recount) pixelCounts.clear();
    version.value++;
  }

  async function loadInfo(): Promise<void> {
    info.value = (await errors.call('assist:info', {})) ?? null;
  }

  /** Starts embedding the frames around `frame` in the background (called when the frame changes). */
  async function prefetch(videoId: string, frame: number): Promise<void> {
    if (clickMode.value) await errors.call('assist:embed', { videoId, frames: [frame], background: true });
  }

  /** Adds a click (or sets the box) and asks main for the selected object's mask on `frame`. */
  async function click(videoId: string, frame: number, point: ClickPoint | null, newBox?: typeof box.value): Promise<void> {
    if (proposal.value && proposal.value.frame !== frame) reset();
    if (point) points.value = [...points.value, point];
    if (newBox !== undefined) box.value = newBox;
    busy.value = true;
    try {
      const result = await errors.call('assist:click', {
        videoId, frame, points: points.value, ...(box.value ? { box: box.value } : {}), refine: proposal.value !== null,
      });
      if (result) proposal.value = { frame, mask: result.mask, score: result.score };
    } finally {
      busy.value = false;
    }
  }

  /** A press on the frame with click-to-mask on: a click or a box, decided on release (click-gesture.ts). */
  function pressAt(screen: Pos, raster: Pos, negative: boolean): void {
    dragStart = { screen, raster, negative };
    dragBox.value = null;
  }
  function dragTo(screen: Pos, raster: Pos): void {
    if (dragStart && (dragBox.value || isDrag(dragStart, screen))) dragBox.value = spanBox(dragStart.raster, raster);
  }
  /** The release: sends the point or the box as the prompt. False when no gesture was in progress. */
  function releaseAt(videoId: string, frame: number, screen: Pos, raster: Pos): boolean {
    const start = dragStart;
    cancelDrag();
    if (!start) return false;
    const outcome = gestureOutcome(start, screen, raster);
    void (outcome.kind === 'point' ? click(videoId, frame, outcome.point) : click(videoId, frame, null, outcome.box));
    return true;
  }
  /** Esc during a drag: the rubber band goes, nothing is sent. */
  function cancelDrag(): boolean {
    const was = dragStart !== null;
    dragStart = null;
    dragBox.value = null;
    return was;
  }
  const dragging = (): boolean => dragStart !== null;

  /** Enter: writes the proposal as the selected object's pixels on that frame. */
  function accept(): boolean {
    const p = port.value;
    const object = p?.selectedObject();
    const prop = proposal.value;
    if (!p || !prop || object === null || object === undefined) return false;
    const raster = p.raster(prop.frame);
    if (!raster) return false;
    const edit = maskEdit(p.videoId, prop.frame, raster, decodeMask(prop.mask), object, p.objects());
    if (edit) p.commit([edit, { op: 'frame:review', videoId: p.videoId, frame: prop.frame, review: 'edited' }]);
    reset();
    return edit !== null;
  }

  function reset(): void {
    cancelDrag();
    points.value = [];
    box.value = null;
    proposal.value = null;
  }

  /**
   * Carries the selected object's mask on `from` to `targets`. Frames the annotator edited or approved are
   * overwritten only when `ask` says yes; the rest get the carried mask. Returns the frames written.
   */
  async function propagate(from: number, targets: number[], ask: AskOverwrite): Promise<number[]> {
    const p = port.value;
    const object = p?.selectedObject();
    const raster = p?.raster(from);
    if (!p || object === null || object === undefined || !raster || targets.length === 0) return [];
    const bits = new Uint8Array(raster.data.length);
    for (let i = 0; i < bits.length; i++) bits[i] = raster.data[i] === object ? 1 : 0;
    busy.value = true;
    try {
      const result = await errors.call('assist:propagate', { videoId: p.videoId, mask: encodeMask(bits, raster.width, raster.height), targets });
      if (!result) return [];
      const plan = propagationPlan(p.frames(), result.frames.map((f) => f.index));
      const overwrite = plan.protected.length > 0 && (await ask(plan.protected));
      const write = new Set([...plan.free, ...(overwrite ? plan.protected : [])]);
      const edits: Edit[] = [];
      for (const f of result.frames) {
        const target = p.raster(f.index);
        if (!write.has(f.index) || !target) continue;
        const edit = maskEdit(p.videoId, f.index, target, decodeMask(f.mask), object, p.objects());
        if (edit) edits.push(edit, { op: 'frame:review', videoId: p.videoId, frame: f.index, review: 'edited' });
      }
      if (edits.length > 0) p.commit(edits);
      return [...write].filter((k) => result.frames.some((f) => f.index === k)).sort((a, b) => a - b);
    } finally {
      busy.value = false;
    }
  }

  async function runListen(videoId: string, frame: number): Promise<void> {
    busy.value = true;
    try {
      listen.value = (await errors.call('assist:listen', { videoId, frame, device: 'auto' })) ?? listen.value;
    } finally {
      busy.value = false;
    }
  }

  async function loadLevels(videoId: string): Promise<void> {
    await useSessionStore().afterFirstFrame(videoId);
    const result = await errors.call('audio:levels', { videoId });
    if (result) {
      levels.value = result.dbfs;
      silenceDbfs.value = result.silenceDbfs;
    }
  }

  return {
    port, version, info, clickMode, points, box, dragBox, proposal, busy, listen, levels, objects, frames, checks,
    bind, touch, loadInfo, prefetch, click, pressAt, dragTo, releaseAt, cancelDrag, dragging, accept, reset, propagate, runListen, loadLevels,
  };
});
