/**
 * The opened videos and the frame being looked at: the one owner of "current video and frame" (other stores
 * read it and never the other way round, so there is no import cycle). Frame k is the sampled frame that represents second k of
 * the video (AVSBench rule, see docs/architecture.md), so the frame index doubles as the audio position in s.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { RequestMap, VideoInfo } from '../../src-main/shared/ipc-contract';
import { isElectron } from '../api';
import { useErrorStore } from './errors';

export type AppInfo = RequestMap['app:info']['res'];

export const useSessionStore = defineStore('session', () => {
  const errors = useErrorStore();
  const appInfo = shallowRef<AppInfo | null>(null);
  const videos = ref<VideoInfo[]>([]);
  const currentId = ref<string | null>(null);
  const frameIndex = ref(0);
  const opening = ref(false);
  /**
   * The video whose first frame the frame view is waiting for (null: none). Thumbnails and audio wait for it:
   * they compete with that one frame's decode in main, and the frame is what the annotator is looking for.
   */
  const firstFramePending = ref<string | null>(null);

  /** Resolves when `videoId`'s first frame is on screen (at once when nothing waits for it; at most after 5 s). */
  function afterFirstFrame(videoId: string): Promise<void> {
    if (firstFramePending.value !== videoId) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, 5000);
      const stop = watch(firstFramePending, (id) => { if (id !== videoId) done(); });
      function done(): void {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }

  const current = computed(() => videos.value.find((v) => v.videoId === currentId.value) ?? null);
  const frameCount = computed(() => current.value?.sampledFrames ?? 0);
  /** Electron shows native dialogs; browser mode needs typed paths. */
  const mode = computed(() => appInfo.value?.mode ?? (isElectron() ? 'electron' : 'browser'));

  /** Loads app info and the videos main already has open (command-line argument, `serve --open`). */
  async function init(): Promise<void> {
    appInfo.value = (await errors.call('app:info', {})) ?? null;
    const list = await errors.call('video:list', {});
    if (list) videos.value = list;
    const last = list?.at(-1);
    if (last && !currentId.value) await select(last.videoId);
  }

  /** Shows the videos of the project main has open now (after a project was opened, created or closed). */
  /** Re-reads main's videos and shows `prefer` (else the last one) from its first frame. */
  async function reload(prefer?: string): Promise<void> {
    const list = (await errors.call('video:list', {})) ?? [];
    videos.value = list;
    currentId.value = null;
    frameIndex.value = 0;
    const shown = list.find((v) => v.videoId === prefer) ?? list.at(-1);
    if (shown) await select(shown.videoId);
  }

  /** Opens a video: a path (browser mode, drag and drop) or main's file dialog when `path` is omitted. */
  async function open(path?: string): Promise<VideoInfo | null> {
    opening.value = true;
    try {
      const info = await errors.call('video:open', path === undefined ? {} : { path });
      if (!info) return null; // dialog cancelled, or the error is already on the banner
      videos.value = [...videos.value.filter((v) => v.videoId !== info.videoId), info];
      await select(info.videoId);
      return info;
    } finally {
      opening.value = false;
    }
  }

  /** Shows another opened video from its first frame (its pre-label and document follow: see App.vue). */
  async function select(videoId: string): Promise<void> {
    currentId.value = videoId;
    frameIndex.value = 0;
  }

  /** Moves to a frame, clamped to the video; returns the index actually shown. */
  function setFrame(index: number): number {
    const last = Math.max(0, frameCount.value - 1);
    frameIndex.value = Math.min(last, Math.max(0, Math.floor(index)));
    return frameIndex.value;
  }

  function step(delta: number): number {
    return setFrame(frameIndex.value + delta);
  }

  return { appInfo, videos, currentId, current, frameIndex, frameCount, mode, opening, firstFramePending, afterFirstFrame, init, reload, open, select, setFrame, step };
});
