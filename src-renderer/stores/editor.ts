/**
 * The Pinia adapter around the editor core: holds the Editor, its document and the action registry (all
 * markRaw: pixel buffers never become reactive), turns the core's events into a `version` counter that
 * computed values read, and keeps the document in step with the project in main.
 *
 * The document is main's: `project:state` gives the video's objects and frame states, `project:raster` each
 * frame's object-id raster when the frame is first shown, and every committed change goes back as project-model
 * `Edit` ops through `project:edit` a moment after it happens (batched); `project:saved` drives the save state.
 * A frame with edits main has not acknowledged is never evicted or reloaded.
 * When main has no project layer (the placeholder handlers answer `unsupported`) the document is built from the
 * pre-label in memory and the notices say that edits are not saved.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowReactive, shallowRef } from 'vue';
import { mediaPath, MAX_EDITS_PER_REQUEST, type PrelabelResult, type SaveState, type VideoInfo } from '../../src-main/shared/ipc-contract';
import { type Edit, type FrameState, type ProjectObject, type VideoDoc } from '../../src-main/shared/project-model';
import { useApi } from '../api';
import { decodeClassMask } from '../canvas/mask-layers';
import { rasterFromClasses } from '../canvas/raster-io';
import type { ObjectRaster } from '../../src-main/shared/project-model';
import { ActionRegistry } from '../editor/actions';
import { EditorDocument } from '../editor/document';
import { Editor } from '../editor/editor';
import type { MaskView } from '../editor/overlay';
import { useErrorStore } from './errors';

export type { SaveState };

/** Pixels per object id in one pass (an array, not a Map: a 1080p frame is 2 M increments). */
function countIds(ids: Uint16Array): Uint32Array {
  const table = new Uint32Array(65536);
  for (let i = 0; i < ids.length; i++) table[ids[i]!]!++;
  table[0] = 0;
  return table;
}

/** Edits are sent this long after the last one (a stroke is one edit; a burst of keys is one request). */
const SAVE_DELAY_MS = 150;
const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
const KEYS_SETTING = 'avs-shortcuts';

export const useEditorStore = defineStore('editor', () => {
  const errors = useErrorStore();
  const editor = markRaw(new Editor());
  const registry = markRaw(new ActionRegistry());
  const doc = shallowRef<EditorDocument | null>(null);
  const version = ref(0);
  /** Bumped by the document's own events: the strip and the objects panel re-render only when these change. */
  const framesVersion = ref(0);
  const objectsVersion = ref(0);
  const pixelsVersion = ref(0);
  /** Bumped when rasters were written behind the document's events (`bump`): cached counts elsewhere are stale. */
  const rewrittenVersion = ref(0);
  const saveState = ref<SaveState>('saved');
  const maskView = ref<MaskView>('fill');
  const cursor = ref<{ x: number; y: number } | null>(null);
  const loadingFrames = ref(0);
  let objectOfClass = new Map<number, number>();
  let labelled = new Set<number>();
  /** True when main holds the document (project layer present); false: in-memory from the pre-label. */
  let persistent = false;
  const queue: Edit[] = [];
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;
  let offDoc: (() => void)[] = [];

  /** The editor's state, field by field: a frame switch wakes only what shows the frame, not every tool button. */
  const readState = () => ({
    tool: editor.tool, toolState: editor.toolState, frame: editor.frame, selected: editor.selected,
    brushSize: editor.settings.brushSize, tolerance: editor.settings.tolerance, exclusive: editor.settings.exclusive,
    polygonMode: editor.settings.polygonMode, canUndo: editor.history.canUndo, canRedo: editor.history.canRedo,
  });
  const state = shallowReactive(readState());
  /** Assigning the same value to a reactive field triggers nothing: only the fields that changed wake readers. */
  function changed(): void {
    version.value++;
    Object.assign(state, readState());
  }
  editor.onState(changed);
  editor.onNotice((message) => errors.note('editor', message, 'info'));
  registry.onChange(changed);

  const objects = computed<readonly ProjectObject[]>(() => {
    void objectsVersion.value;
    return doc.value ? [...doc.value.objects] : [];
  });
  const frames = computed<readonly FrameState[]>(() => {
    void framesVersion.value;
    return doc.value ? [...doc.value.frames] : [];
  });
  const progress = computed(() => ({
    approved: frames.value.filter((f) => f.review === 'approved').length,
    total: frames.value.length,
  }));
  /** Pixels per object id by frame, recounted only after the frame's pixels changed (not on every frame switch). */
  const countCache = new Map<number, Uint32Array>();
  const counts = computed<{ get(id: number): number | undefined }>(() => {
    void pixelsVersion.value;
    const d = doc.value;
    const frame = state.frame;
    if (!d || !d.hasRaster(frame)) return { get: () => undefined };
    let table = countCache.get(frame);
    if (!table) {
      table = countIds(d.raster(frame).data);
      countCache.set(frame, table);
    }
    const t = table;
    return { get: (id: number) => t[id] };
  });
  const objectUnderCursor = computed<ProjectObject | null>(() => {
    const d = doc.value, c = cursor.value;
    void pixelsVersion.value;
    if (!d || !c || c.x < 0 || c.y < 0 || c.x >= d.width || c.y >= d.height || !d.hasRaster(editor.frame)) return null;
    const id = d.raster(editor.frame).data[Math.floor(c.y) * d.width + Math.floor(c.x)]!;
    return id ? d.object(id) ?? null : null;
  });

  /** The video's document from main's project, or null when main has no project layer. */
  async function projectVideo(videoId: string): Promise<VideoDoc | null> {
    const result = await useApi().invoke('project:state', {});
    if (!result.ok) {
      if (result.error.code !== 'unsupported') errors.report('project:state', result.error);
      return null;
    }
    return result.value?.manifest.videos.find((v) => v.id === videoId) ?? null;
  }

  /** Opens the document of `video`: main's project when there is one, else built from the pre-label. */
  let opening = 0;
  async function open(video: VideoInfo, result: PrelabelResult | null): Promise<void> {
    const ticket = ++opening;
    const fromProject = await projectVideo(video.videoId);
    if (ticket !== opening) return; // a later open won
    persistent = fromProject !== null;
    if (!persistent) {
      errors.note('project', 'This build has no project layer: edits stay in this window and are not saved.', 'warn');
    }
    install(fromProject ? documentFromProject(fromProject) : documentFromPrelabel(video, result));
  }

  function documentFromProject(v: VideoDoc): EditorDocument {
    objectOfClass = new Map();
    labelled = new Set(v.frames.map((f) => f.index));
    return new EditorDocument({ id: v.id, width: v.width, height: v.height, frames: v.frames, objects: v.objects, nextObjectId: v.nextObjectId });
  }

  /** One object per class the model found, sounding in the seconds it was found in. */
  function documentFromPrelabel(video: VideoInfo, result: PrelabelResult | null): EditorDocument {
    const classes = [...new Set((result?.frames ?? []).flatMap((f) => f.classes))].filter((c) => c > 0).sort((a, b) => a - b);
    objectOfClass = new Map(classes.map((c, i) => [c, i + 1]));
    labelled = new Set((result?.frames ?? []).filter((f) => f.classes.length > 0).map((f) => f.index));
    const frameStates: FrameState[] = Array.from({ length: video.sampledFrames }, (_, index) => ({
      index, timeSec: result?.frames[index]?.timeSec ?? index, review: 'unreviewed', revision: 0,
      source: result ? { kind: 'model', model: result.model.variant, version: result.model.version, provider: result.provider.active } : { kind: 'none' },
    }));
    const objectList: ProjectObject[] = classes.map((classIndex, i) => ({
      id: i + 1, classIndex, visible: true, locked: false, z: i,
      sounding: frameStates.map((f) => result?.frames[f.index]?.classes.includes(classIndex) ?? false),
    }));
    return new EditorDocument({
      id: video.videoId, width: video.width, height: video.height, frames: frameStates, objects: objectList,
      nextObjectId: classes.length + 1,
    });
  }

  function install(created: EditorDocument): void {
    offDoc.forEach((off) => off());
    queue.length = 0;
    const next = markRaw(created);
    offDoc = [
      next.on('edit', (edit) => {
        if (edit.op === 'pixels') countCache.delete(edit.frame);
        else if (edit.op === 'object:delete') countCache.clear();
        enqueue(edit);
        pixelsVersion.value++;
        scheduleSave();
      }),
      next.on('frames', () => { framesVersion.value++; }),
      next.on('objects', () => { objectsVersion.value++; }),
      next.on('pixels', (frame, rect) => {
        // a raster installed from main (whole frame): its counts are new
        if (rect.w === next.width && rect.h === next.height) countCache.delete(frame);
      }),
    ];
    countCache.clear();
    doc.value = next;
    editor.setDocument(next);
    framesVersion.value++;
    objectsVersion.value++;
  }

  function close(): void {
    offDoc.forEach((off) => off());
    queue.length = 0;
    offDoc = [];
    doc.value = null;
    editor.setDocument(null);
  }

  /** Makes sure frame `frame`'s raster is in the document (asks main once; the pre-label mask without a project). */
  async function ensureFrame(frame: number): Promise<void> {
    const d = doc.value;
    if (!d || d.hasRaster(frame) || !labelled.has(frame)) return;
    loadingFrames.value++;
    try {
      const raster = persistent ? await projectRaster(d.id, frame) : await prelabelRaster(d.id, frame);
      if (raster && doc.value === d && !d.hasRaster(frame)) {
        d.setRaster(frame, raster);
        pixelsVersion.value++;
      }
    } catch (err) {
      errors.report('mask', { code: 'media', message: `Mask of frame ${frame} could not be loaded: ${String(err)}` });
    } finally {
      loadingFrames.value--;
    }
  }

  async function projectRaster(videoId: string, frame: number): Promise<ObjectRaster | null> {
    const got = await errors.call('project:raster', { videoId, frame });
    return got ? got.raster : null;
  }

  async function prelabelRaster(videoId: string, frame: number): Promise<ObjectRaster> {
    const response = await fetch(useApi().mediaUrl(mediaPath(videoId, 'mask', frame)), { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return rasterFromClasses(await decodeClassMask(await response.blob()), objectOfClass);
  }

  /**
   * Queues an edit for main. A pixel patch that covers an earlier queued patch of the same frame replaces it
   * (edits apply in order, so the earlier one could never show): undo/redo of a big stroke sends one patch, not
   * one per press.
   */
  function enqueue(edit: Edit): void {
    if (edit.op === 'pixels') {
      const r = edit.rect;
      for (let i = queue.length - 1; i >= 0; i--) {
        const q = queue[i]!;
        if (q.op === 'pixels' && q.frame === edit.frame && q.rect.x >= r.x && q.rect.y >= r.y &&
            q.rect.x + q.rect.w <= r.x + r.w && q.rect.y + q.rect.h <= r.y + r.h) queue.splice(i, 1);
      }
    }
    queue.push(edit);
  }

  /** The next request's edits: at most MAX_EDITS_PER_REQUEST and about 32 MB of pixels. */
  function nextBatch(): Edit[] {
    let bytes = 0, n = 0;
    while (n < queue.length && n < MAX_EDITS_PER_REQUEST) {
      const e = queue[n]!;
      const size = e.op === 'pixels' ? e.after.byteLength : 256;
      if (n > 0 && bytes + size > MAX_REQUEST_BYTES) break;
      bytes += size;
      n++;
    }
    return queue.splice(0, n);
  }

  function scheduleSave(): void {
    saveState.value = saving ? 'saving' : 'unsaved';
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void flush(), SAVE_DELAY_MS);
  }

  /** Sends every queued edit to main now (also on blur, before unload and before an export), then waits for it. */
  async function flush(): Promise<void> {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    if (saving) await saving;
    const d = doc.value;
    if (!d || queue.length === 0) return;
    if (!persistent) {
      saveState.value = 'unsaved';
      return;
    }
    saveState.value = 'saving';
    saving = (async () => {
      while (queue.length > 0) {
        const batch = nextBatch();
        const answer = await useApi().invoke('project:edit', { edits: batch });
        if (!answer.ok) {
          errors.report('project:edit', answer.error);
          if (answer.error.code === 'bad-input') {
            // main refused the batch (all or none): the window must not keep pixels main does not have.
            queue.length = 0;
            await resync(d.id);
          } else {
            queue.unshift(...batch); // e.g. a full disk: kept and retried on the next change
          }
          break;
        }
        const result = answer.value;
        for (const f of result.frames) if (f.videoId === d.id) d.markSaved(f.frame);
        saveState.value = result.save;
      }
    })();
    await saving;
    saving = null;
    if (queue.length > 0) saveState.value = 'unsaved';
    else if (persistent) await errors.call('project:flush', {}).then((r) => { if (r) saveState.value = r.save; });
  }

  /** Reloads the document from main after a refused edit (the local history is dropped with it). */
  async function resync(videoId: string): Promise<void> {
    const fresh = await projectVideo(videoId);
    if (!fresh) return;
    const frame = editor.frame;
    install(documentFromProject(fresh));
    editor.setFrame(frame);
    await ensureFrame(frame);
    errors.note('project', 'The window was reloaded from the project; undo history starts again.', 'warn');
  }

  /** main's autosave progress (`project:saved`). */
  function listen(): () => void {
    return useApi().on('project:saved', ({ state }) => {
      if (queue.length === 0 && !saving) saveState.value = state;
    });
  }

  function loadShortcuts(): void {
    registry.loadOverrides(globalThis.localStorage?.getItem(KEYS_SETTING) ?? null);
  }

  function saveShortcuts(): void {
    globalThis.localStorage?.setItem(KEYS_SETTING, registry.saveOverrides());
  }

  /** The document was changed behind the editor's back (tests, benchmark seeding): recount and re-render. */
  function bump(): void {
    countCache.clear();
    rewrittenVersion.value++;
    changed();
    framesVersion.value++;
    objectsVersion.value++;
    pixelsVersion.value++;
  }

  return {
    editor, registry, doc, version, framesVersion, objectsVersion, pixelsVersion, rewrittenVersion, saveState, maskView, cursor, loadingFrames, objects, frames, progress,
    state, counts, objectUnderCursor, open, close, ensureFrame, flush, listen, loadShortcuts, saveShortcuts, bump,
  };
});
