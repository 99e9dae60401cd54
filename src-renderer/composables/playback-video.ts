/**
 * Drives the <video> element that plays the real video over the frame view (components/FrameView.vue holds it):
 * Play starts it at the current second, its clock moves the current frame at each second boundary (so the
 * overlay shows that second's sampled frame's masks), loop repeats the current second, a picked frame seeks it
 * (paused: once stepping rests), pause stops it where it is (the frame view then shows the sampled frame of that
 * second again). The playhead goes to the playback store for the audio panel.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue';
import { useAudioStore } from '../stores/audio';
import { useErrorStore } from '../stores/errors';
import { usePlaybackStore } from '../stores/playback';
import { useSessionStore } from '../stores/session';

/** A paused video is seeked this long after the last frame step. */
const PAUSED_SEEK_DELAY_MS = 250;

export function usePlaybackVideo(video: Ref<HTMLVideoElement | null>): void {
  const session = useSessionStore();
  const playback = usePlaybackStore();
  const audio = useAudioStore();
  let raf = 0;
  let seekTimer: ReturnType<typeof setTimeout> | null = null;
  /** The second loop playback repeats (the current one when playback started or the frame was picked). */
  let loopSecond = 0;

  function tick(): void {
    const el = video.value;
    if (!el) return;
    playback.currentTime = el.currentTime;
    let second = Math.floor(el.currentTime);
    if (audio.loop && second !== loopSecond) {
      el.currentTime = loopSecond;
      second = loopSecond;
    }
    if (second >= session.frameCount || el.ended) {
      playback.pause();
      return;
    }
    if (second !== session.frameIndex) session.setFrame(second);
    raf = requestAnimationFrame(tick);
  }

  async function start(): Promise<void> {
    const el = video.value;
    if (!el || !session.current) return playback.pause();
    if (!audio.loop && session.frameIndex >= session.frameCount - 1) session.setFrame(0);
    loopSecond = session.frameIndex;
    el.currentTime = session.frameIndex;
    el.volume = audio.volume;
    try {
      await el.play();
    } catch (err) {
      useErrorStore().report('playback', { code: 'media', message: `The video cannot play: ${String(err)}` });
      return playback.pause();
    }
    raf = requestAnimationFrame(tick);
  }

  function stop(): void {
    cancelAnimationFrame(raf);
    video.value?.pause();
  }

  watch(() => playback.playing, (playing) => (playing ? void start() : stop()));
  watch(() => session.frameIndex, (index) => {
    loopSecond = index;
    const el = video.value;
    if (!el || Math.floor(el.currentTime) === index) return;
    playback.currentTime = index;
    if (seekTimer) clearTimeout(seekTimer);
    seekTimer = null;
    if (playback.playing) {
      el.currentTime = index;
      return;
    }
    // Paused, the element is hidden: it follows once stepping rests, since each seek decodes a full video frame
    // and would compete with showing the next sampled frame (Play seeks it at once anyway).
    seekTimer = setTimeout(() => {
      seekTimer = null;
      if (!playback.playing && session.frameIndex === index && video.value) video.value.currentTime = index;
    }, PAUSED_SEEK_DELAY_MS);
  });
  watch(() => session.currentId, () => playback.pause());
  watch(() => audio.volume, (v) => { if (video.value) video.value.volume = v; });
  onBeforeUnmount(() => {
    if (seekTimer) clearTimeout(seekTimer);
    stop();
  });
}
