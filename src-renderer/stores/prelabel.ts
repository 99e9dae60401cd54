/**
 * Pre-labelling jobs: start/cancel, progress from `prelabel:progress`, results per video, and the provider that
 * actually ran (a CPU fallback is kept with its reason so the badge can warn loudly).
 * Events are matched by videoId rather than jobId: `prelabel:done` may arrive before `prelabel:start` answers.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  FrameLabel, ModelInfo, PrelabelProgress, PrelabelResult, ProviderStatus,
} from '../../src-main/shared/ipc-contract';
import { useApi } from '../api';
import { useErrorStore } from './errors';
import { useSessionStore } from './session';
import { useUiStore } from './ui';

export interface RunningJob {
  videoId: string;
  /** Empty until `prelabel:start` answers. */
  jobId: string;
}

export const usePrelabelStore = defineStore('prelabel', () => {
  const errors = useErrorStore();
  const job = ref<RunningJob | null>(null);
  const progress = shallowRef<PrelabelProgress | null>(null);
  /** Results by videoId; replaced whole, so shallow reactivity is enough. */
  const results = shallowRef<Record<string, PrelabelResult>>({});
  const provider = shallowRef<ProviderStatus | null>(null);
  const model = shallowRef<ModelInfo | null>(null);
  /** Bumped on every new result: mask caches key on it so re-runs never show stale PNGs. */
  const generation = ref(0);

  const running = computed(() => job.value !== null);
  const fraction = computed(() => {
    const p = progress.value;
    return p && p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  });
  const current = computed<PrelabelResult | null>(() => {
    const id = useSessionStore().currentId;
    return id ? results.value[id] ?? null : null;
  });
  const fallbackWarning = computed(() => provider.value?.fallbackReason ?? null);

  function frameLabel(index: number): FrameLabel | null {
    return current.value?.frames.find((f) => f.index === index) ?? null;
  }

  function accept(result: PrelabelResult): void {
    results.value = { ...results.value, [result.videoId]: result };
    provider.value = result.provider;
    model.value = result.model;
    generation.value++;
  }

  async function loadResult(videoId: string): Promise<void> {
    const result = await errors.call('prelabel:result', { videoId });
    if (result) accept(result);
  }

  async function loadModel(): Promise<void> {
    model.value = (await errors.call('model:info', {})) ?? model.value;
  }

  /** Opens another ONNX model (a path in browser mode, main's dialog in Electron). */
  async function openModel(path?: string): Promise<boolean> {
    const info = await errors.call('model:open', path === undefined ? {} : { path });
    if (info) model.value = info;
    return info !== undefined && info !== null;
  }

  async function start(): Promise<void> {
    const video = useSessionStore().current;
    if (!video || job.value) return;
    job.value = { videoId: video.videoId, jobId: '' };
    progress.value = null;
    const started = await errors.call('prelabel:start', { videoId: video.videoId, device: useUiStore().prefs.device });
    if (!started) job.value = null;
    else if (job.value?.videoId === video.videoId) job.value = { ...job.value, jobId: started.jobId };
  }

  async function cancel(): Promise<void> {
    const running = job.value;
    if (!running?.jobId) return;
    await errors.call('prelabel:cancel', { jobId: running.jobId });
  }

  function finish(videoId: string): void {
    if (job.value?.videoId === videoId) {
      job.value = null;
      progress.value = null;
    }
  }

  /** Subscribes to main's events; returns one function that unsubscribes them all. */
  function listen(): () => void {
    const api = useApi();
    const offs = [
      api.on('prelabel:progress', (p) => {
        if (job.value?.videoId === p.videoId) progress.value = p;
      }),
      api.on('prelabel:done', ({ result }) => {
        accept(result);
        finish(result.videoId);
      }),
      api.on('prelabel:error', ({ videoId, error }) => {
        errors.report('prelabel', error, error.code === 'cancelled' ? 'info' : 'error');
        finish(videoId);
      }),
      api.on('provider:changed', (status) => { provider.value = status; }),
      api.on('log', ({ level, message }) => {
        if (level !== 'info') errors.note('main', message, level);
      }),
    ];
    return () => offs.forEach((off) => off());
  }

  return {
    job, progress, results, provider, model, generation, running, fraction, current, fallbackWarning,
    frameLabel, loadResult, loadModel, openModel, start, cancel, listen,
  };
});
