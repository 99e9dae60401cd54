/**
 * Mask layers of the frame on screen: one raster per class present, with per-class show/hide and opacity.
 * Visibility and opacity are per class, not per frame, so hiding "dog" stays hidden while stepping frames.
 * Rasters (canvases) are markRaw and cached for a few frames: Vue must never proxy pixel buffers, and a
 * 1080p class canvas is 8 MB, so the cache is small and bounded.
 */
import { defineStore } from 'pinia';
import { computed, markRaw, ref, shallowRef } from 'vue';
import { mediaPath } from '../../src-main/shared/ipc-contract';
import { useApi } from '../api';
import { decodeClassMask, splitClassLayers, type ClassLayerRaster } from '../canvas/mask-layers';
import { className, cssColour } from '../canvas/palette';
import { useErrorStore } from './errors';
import { usePrelabelStore } from './prelabel';
import { useUiStore } from './ui';

export interface FrameRaster {
  key: string;
  videoId: string;
  /** Sampled frame index (= second). */
  index: number;
  width: number;
  height: number;
  layers: ClassLayerRaster[];
}

export interface ClassPrefs {
  visible: boolean;
  opacity: number;
}

/** What the layer panel and the canvas show for one class. */
export interface LayerView extends ClassPrefs {
  classIndex: number;
  name: string;
  colour: string;
  pixelCount: number;
  canvas: HTMLCanvasElement;
}

const CACHE_FRAMES = 8;

export const useMaskStore = defineStore('masks', () => {
  const prelabel = usePrelabelStore();
  const classPrefs = ref<Record<number, ClassPrefs>>({});
  const raster = shallowRef<FrameRaster | null>(null);
  const loading = ref(false);
  const cache = new Map<string, FrameRaster>();
  let request = 0;

  function prefsFor(classIndex: number): ClassPrefs {
    return classPrefs.value[classIndex] ?? { visible: true, opacity: useUiStore().prefs.defaultOpacity };
  }

  const layers = computed<LayerView[]>(() => {
    const r = raster.value;
    if (!r) return [];
    const label = prelabel.frameLabel(r.index);
    return r.layers.map((layer) => {
      const at = label?.classes.indexOf(layer.classIndex) ?? -1;
      return {
        ...prefsFor(layer.classIndex),
        classIndex: layer.classIndex,
        name: className(prelabel.model?.classes, layer.classIndex),
        colour: cssColour(layer.classIndex),
        // main's count is authoritative (computed at full precision before PNG encoding); decode as fallback
        pixelCount: at >= 0 ? label!.pixelCounts[at] ?? layer.pixelCount : layer.pixelCount,
        canvas: layer.canvas,
      };
    });
  });

  function remember(entry: FrameRaster): void {
    cache.delete(entry.key);
    cache.set(entry.key, entry);
    while (cache.size > CACHE_FRAMES) cache.delete(cache.keys().next().value!);
  }

  /** Shows frame `index` of `videoId`; frames without a result or without classes show no layers. */
  async function load(videoId: string, index: number): Promise<void> {
    const ticket = ++request;
    const label = prelabel.frameLabel(index);
    const key = `${videoId}#${index}#${prelabel.generation}`;
    if (!label || label.classes.length === 0) {
      raster.value = null;
      return;
    }
    const hit = cache.get(key);
    if (hit) {
      remember(hit);
      raster.value = hit;
      return;
    }
    loading.value = true;
    try {
      // no-store: a re-run or an edit rewrites the PNG under the same URL.
      const response = await fetch(useApi().mediaUrl(mediaPath(videoId, 'mask', index)), { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const mask = await decodeClassMask(await response.blob());
      const layersOut = splitClassLayers(mask, label.classes).map((l) => markRaw(l));
      const entry = markRaw<FrameRaster>({ key, videoId, index, width: mask.width, height: mask.height, layers: layersOut });
      remember(entry);
      if (ticket === request) raster.value = entry; // a later frame change wins
    } catch (err) {
      useErrorStore().report('mask', { code: 'media', message: `Mask of frame ${index} could not be loaded: ${String(err)}` });
      if (ticket === request) raster.value = null;
    } finally {
      if (ticket === request) loading.value = false;
    }
  }

  function setVisible(classIndex: number, visible: boolean): void {
    classPrefs.value = { ...classPrefs.value, [classIndex]: { ...prefsFor(classIndex), visible } };
  }

  function setOpacity(classIndex: number, opacity: number): void {
    const clamped = Math.min(1, Math.max(0, opacity));
    classPrefs.value = { ...classPrefs.value, [classIndex]: { ...prefsFor(classIndex), opacity: clamped } };
  }

  function clear(): void {
    cache.clear();
    raster.value = null;
  }

  return { classPrefs, raster, loading, layers, load, setVisible, setOpacity, clear };
});
