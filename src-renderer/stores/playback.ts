/**
 * Play/pause state and the playhead. The <video> element lives in components/FrameView.vue (a DOM node cannot
 * live in a store), driven by composables/playback-video.ts: it reads `playing`, moves the frame while playing,
 * seeks when the frame is picked and writes `currentTime`. Keyboard and buttons only flip this flag, so every
 * way of starting playback behaves the same.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const usePlaybackStore = defineStore('playback', () => {
  const playing = ref(false);
  /** The video's clock (s), updated every animation frame while playing and on every seek. */
  const currentTime = ref(0);

  function play(): void { playing.value = true; }
  function pause(): void { playing.value = false; }
  function toggle(): void { playing.value = !playing.value; }

  return { playing, currentTime, play, pause, toggle };
});
