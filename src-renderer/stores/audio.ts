/**
 * The audio panel's state: zoom (pixels per second, shared with anything drawn on the same time axis), the
 * visible range, the waveform/spectrogram columns main computed for it (`audio:view`), loop and volume.
 * Only the visible range is ever asked for; a newer request supersedes an older one.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { AudioView } from '../../src-main/shared/audio-view';
import { useErrorStore } from './errors';
import { useSessionStore } from './session';

export const MIN_PX_PER_SEC = 2;
export const MAX_PX_PER_SEC = 400;
export const DEFAULT_PX_PER_SEC = 40;
/** The widest view (s) zooming out may reach: the data of wider ranges would take too long to decode. */
export const MAX_VIEW_SEC = 900;

export const useAudioStore = defineStore('audio', () => {
  const errors = useErrorStore();
  const pxPerSec = ref(DEFAULT_PX_PER_SEC);
  /** Left edge of the visible range (s). */
  const scrollSec = ref(0);
  /**
   * Width (px) of the time lane, measured once by the audio panel: the waveform, the spectrogram and the sound
   * timeline all draw second s at (s - scrollSec) * pxPerSec from the left of this lane (one view, one axis).
   */
  const laneWidth = ref(600);
  /** Set once the user zoomed this video by hand: until then a resize re-fits a short video to the lane. */
  const zoomedByHand = ref(false);
  const view = shallowRef<AudioView | null>(null);
  const loop = ref(false);
  const volume = ref(1);
  /** Milliseconds from asking to having the data of the last draw (for the status line and tests). */
  const lastLoadMs = ref(0);
  let ticket = 0;

  async function load(videoId: string, startSec: number, endSec: number, columns: number): Promise<void> {
    const mine = ++ticket;
    const started = performance.now();
    await useSessionStore().afterFirstFrame(videoId);
    if (mine !== ticket) return;
    const result = await errors.call('audio:view', { videoId, startSec, endSec, columns: Math.max(1, Math.min(8192, Math.round(columns))) });
    if (mine !== ticket || !result) return;
    lastLoadMs.value = performance.now() - started;
    view.value = result;
  }

  function zoom(factor: number): void {
    pxPerSec.value = Math.min(MAX_PX_PER_SEC, Math.max(MIN_PX_PER_SEC, pxPerSec.value * factor));
  }

  /** A zoom the user asked for (buttons, Ctrl + wheel): the fit-to-lane stops following resizes. */
  function zoomByHand(factor: number): void {
    zoomedByHand.value = true;
    zoom(factor);
    pxPerSec.value = Math.max(pxPerSec.value, laneWidth.value / MAX_VIEW_SEC);
  }

  /** Scrolls the shared view, kept inside [0, the video's end]. */
  function scrollBy(deltaSec: number, durationSec: number): void {
    const visible = laneWidth.value / pxPerSec.value;
    scrollSec.value = Math.max(0, Math.min(Math.max(0, durationSec - visible), scrollSec.value + deltaSec));
  }

  function clear(): void {
    ticket++;
    view.value = null;
    scrollSec.value = 0;
    zoomedByHand.value = false;
  }

  return { pxPerSec, scrollSec, laneWidth, zoomedByHand, view, loop, volume, lastLoadMs, load, zoom, zoomByHand, scrollBy, clear };
});
