/**
 * The Pinia adapter around the editor core: holds the Editor, its document and the action registry (all
 * markRaw: pixel buffers never become reactive), turns the core's events into a `version` counter that
 * computed values read, and persists edits through main.
 *
 * The document is built from the pre-label: one object per class the model found, its sounding flags = the
 * seconds it was found in; each frame's raster is loaded from main's class-index mask when the frame is first
 * shown. Edits go back as the frame's class map (`mask:save`, flattened with `flattenToClasses`) a moment after
 * the last change; a frame with unsaved edits is never evicted or reloaded.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import { mediaPath, type PrelabelResult, type VideoInfo } from '../../src-main/shared/ipc-contract';
import { pixelCounts, type FrameState, type ProjectObject } from '../../src-main/shared/project-model';
import { useApi } from '../api';
import { decodeClassMask } from '../canvas/mask-layers';
import { classPngBase64, rasterFromClasses } from '../canvas/raster-io';
import { ActionRegistry } from '../editor/actions';
import { EditorDocument } from '../editor/document';
import { Editor } from '../editor/editor';
import type { MaskView } from '../editor/overlay';
import { useErrorStore } from './errors';

export type SaveState = 'saved' | 'saving' | 'unsaved';

const SAVE_DELAY_MS = 300;
const KEYS_SETTING = 'avs-shortcuts';

export const useEditorStore = defineStore('editor', () => {
  const errors = useErrorStore();
  const editor = markRaw(new Editor());
  const registry = markRaw(new ActionRegistry());
  const doc = shallowRef<EditorDocument | null>(null);
  const version = ref(0);
  const pixelsVersion = ref(0);
  const saveState = ref<SaveState>('saved');
  const maskView = ref<MaskView>('fill');
  const cursor = ref<{ x: number; y: number } | null>(null);
  const loadingFrames = ref(0);
  let objectOfClass = new Map<number, number>();
  let labelled = new Set<number>();
  let videoId = '';
  const pending = new Set<number>();
  let saveTimer: ReturnType<typeof setTimeout> | null = null;
  let saving: Promise<void> | null = null;
  let offDoc: (() => void)[] = [];

  editor.onState(() => { version.value++; });
  editor.onNotice((message) => errors.note('editor', message, 'info'));
  registry.onChange(() => { version.value++; });

  const objects = computed<readonly ProjectObject[]>(() => {
    void version.value;
    return doc.value ? [...doc.value.objects] : [];
  });
  const frames = computed<readonly FrameState[]>(() => {
    void version.value;
    return doc.value ? [...doc.value.frames] : [];
  });
  const progress = computed(() => ({
    approved: frames.value.filter((f) => f.review === 'approved').length,
    total: frames.value.length,
  }));
  const state = computed(() => {
    void version.value;
    return {
      tool: editor.tool, toolState: editor.toolState, frame: editor.frame, selected: editor.selected,
      brushSize: editor.settings.brushSize, tolerance: editor.settings.tolerance, exclusive: editor.settings.exclusive,
      polygonMode: editor.settings.polygonMode, canUndo: editor.history.canUndo, canRedo: editor.history.canRedo,
    };
  });
  /** Pixels per object on the frame on screen (recounted after each committed edit, not on every move). */
  const counts = computed<ReadonlyMap<number, number>>(() => {
    void pixelsVersion.value;
    const d = doc.value;
    return d && d.hasRaster(state.value.frame) ? pixelCounts(d.raster(state.value.frame)) : new Map();
  });
  const objectUnderCursor = computed<ProjectObject | null>(() => {
    const d = doc.value, c = cursor.value;
    void pixelsVersion.value;
    if (!d || !c || c.x < 0 || c.y < 0 || c.x >= d.width || c.y >= d.height || !d.hasRaster(editor.frame)) return null;
    const id = d.raster(editor.frame).data[Math.floor(c.y) * d.width + Math.floor(c.x)]!;
    return id ? d.object(id) ?? null : null;
  });

  /** Builds the document for a video from its pre-label (or an empty one when there is none yet). */
  function open(video: VideoInfo, result: PrelabelResult | null): void {
    offDoc.forEach((off) => off());
    pending.clear();
    videoId = video.videoId;
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
    const next = markRaw(new EditorDocument({
      id: video.videoId, width: video.width, height: video.height, frames: frameStates, objects: objectList,
      nextObjectId: classes.length + 1,
    }));
    offDoc = [
      next.on('edit', (edit) => {
        if (edit.op === 'pixels') pending.add(edit.frame);
        else if (edit.op !== 'frame:review') for (let f = 0; f < next.frameCount; f++) if (next.hasRaster(f)) pending.add(f);
        pixelsVersion.value++;
        if (pending.size > 0) scheduleSave();
      }),
      next.on('frames', () => { version.value++; }),
      next.on('objects', () => { version.value++; }),
    ];
    doc.value = next;
    editor.setDocument(next);
  }

  function close(): void {
    offDoc.forEach((off) => off());
    offDoc = [];
    doc.value = null;
    editor.setDocument(null);
  }

  /** Makes sure frame `frame`'s raster is in the document (loads the pre-label mask once). */
  async function ensureFrame(frame: number): Promise<void> {
    const d = doc.value;
    if (!d || d.hasRaster(frame) || !labelled.has(frame)) return;
    loadingFrames.value++;
    try {
      const response = await fetch(useApi().mediaUrl(mediaPath(d.id, 'mask', frame)), { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const mask = await decodeClassMask(await response.blob());
      if (doc.value === d && !d.hasRaster(frame)) {
        d.setRaster(frame, rasterFromClasses(mask, objectOfClass));
        pixelsVersion.value++;
      }
    } catch (err) {
      errors.report('mask', { code: 'media', message: `Mask of frame ${frame} could not be loaded: ${String(err)}` });
    } finally {
      loadingFrames.value--;
    }
  }

  function scheduleSave(): void {
    saveState.value = saving ? 'saving' : 'unsaved';
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(() => void flush(), SAVE_DELAY_MS);
  }

  /** Sends every frame with unsaved edits to main now (also on blur and before unload). */
  async function flush(): Promise<void> {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = null;
    if (saving) await saving;
    const d = doc.value;
    if (!d || pending.size === 0) return;
    saveState.value = 'saving';
    saving = (async () => {
      for (const frame of [...pending]) {
        pending.delete(frame);
        const png = await classPngBase64(d.raster(frame), d.objects, frame);
        const saved = await errors.call('mask:save', { videoId, index: frame, pngBase64: png });
        if (!saved) pending.add(frame); // the notice says why; the edit stays and is retried on the next change
        else if (!pending.has(frame)) d.markSaved(frame);
      }
    })();
    await saving;
    saving = null;
    saveState.value = pending.size > 0 ? 'unsaved' : 'saved';
  }

  function loadShortcuts(): void {
    registry.loadOverrides(globalThis.localStorage?.getItem(KEYS_SETTING) ?? null);
  }

  function saveShortcuts(): void {
    globalThis.localStorage?.setItem(KEYS_SETTING, registry.saveOverrides());
  }

  function bump(): void {
    version.value++;
  }

  return {
    editor, registry, doc, version, pixelsVersion, saveState, maskView, cursor, loadingFrames, objects, frames, progress,
    state, counts, objectUnderCursor, open, close, ensureFrame, flush, loadShortcuts, saveShortcuts, bump,
  };
});
