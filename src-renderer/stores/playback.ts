/**
 * Play/pause state. The <video> element lives in components/audio/AudioPanel.vue (a DOM node cannot live in a store); it reads
 * `playing`, moves the frame while playing and seeks when the frame is picked. Keyboard and buttons only
 * flip this flag, so every way of starting playback behaves the same.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';

export const usePlaybackStore = defineStore('playback', () => {
  const playing = ref(false);

  function play(): void { playing.value = true; }
  function pause(): void { playing.value = false; }
  function toggle(): void { playing.value = !playing.value; }

  return { playing, play, pause, toggle };
});
