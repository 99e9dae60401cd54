import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { installApi } from '../../src-renderer/api';
import { useErrorStore } from '../../src-renderer/stores/errors';
import { usePrelabelStore } from '../../src-renderer/stores/prelabel';
import { useSessionStore } from '../../src-renderer/stores/session';
import { useUiStore } from '../../src-renderer/stores/ui';
import { createFakeApi, prelabelResult, video, type FakeApi } from './fake-api';

async function setup(): Promise<FakeApi> {
  const fake = createFakeApi({
    'video:open': () => video('v'),
    'prelabel:result': () => null,
    'prelabel:start': () => ({ jobId: 'job-1' }),
    'prelabel:cancel': () => ({ cancelled: true }),
  });
  installApi(fake.api);
  await useSessionStore().open('/v.mp4');
  return fake;
}

describe('prelabel store', () => {
  beforeEach(() => {
    localStorage.clear();
    setActivePinia(createPinia());
  });

  it('starts with the chosen device, follows progress of its video and stores the result', async () => {
    const fake = await setup();
    const store = usePrelabelStore();
    store.listen();
    useUiStore().prefs.device = 'cuda';
    await store.start();
    expect(fake.calls.at(-1)).toEqual({ channel: 'prelabel:start', payload: { videoId: 'v', device: 'cuda' } });
    fake.emit('prelabel:progress', { jobId: 'job-1', videoId: 'other', stage: 'inference', done: 9, total: 10 });
    expect(store.fraction).toBe(0);
    fake.emit('prelabel:progress', { jobId: 'job-1', videoId: 'v', stage: 'inference', done: 2, total: 5 });
    expect(store.fraction).toBeCloseTo(0.4);
    const generation = store.generation;
    fake.emit('prelabel:done', { jobId: 'job-1', result: prelabelResult('v', [{ index: 0, timeSec: 0.9375, classes: [7], pixelCounts: [12] }]) });
    expect(store.running).toBe(false);
    expect(store.generation).toBe(generation + 1);
    expect(store.frameLabel(0)?.classes).toEqual([7]);
  });

  it('copes with prelabel:done arriving before prelabel:start answers', async () => {
    const fake = await setup();
    const store = usePrelabelStore();
    store.listen();
    installApi({
      ...fake.api,
      invoke: async (channel, payload) => {
        if (channel === 'prelabel:start') fake.emit('prelabel:done', { jobId: 'job-1', result: prelabelResult('v', []) });
        return fake.api.invoke(channel, payload);
      },
    });
    await store.start();
    expect(store.running).toBe(false);
    expect(store.current?.videoId).toBe('v');
  });

  it('keeps a CPU fallback reason for the warning badge', async () => {
    const fake = await setup();
    const store = usePrelabelStore();
    store.listen();
    fake.emit('provider:changed', { requested: 'auto', active: 'cpu', available: ['cpu'], fallbackReason: 'CUDA not loadable' });
    expect(store.fallbackWarning).toBe('CUDA not loadable');
  });

  it('reports job errors and main warnings on the banner and ends the job', async () => {
    const fake = await setup();
    const store = usePrelabelStore();
    store.listen();
    await store.start();
    fake.emit('prelabel:error', { jobId: 'job-1', videoId: 'v', error: { code: 'model', message: 'model.onnx: bad input' } });
    fake.emit('log', { level: 'warn', message: 'falling back to CPU' });
    fake.emit('log', { level: 'info', message: 'routine' });
    expect(store.running).toBe(false);
    expect(useErrorStore().entries.map((e) => [e.severity, e.message])).toEqual([
      ['error', 'model.onnx: bad input'], ['warn', 'falling back to CPU'],
    ]);
  });

  it('cancels by job id and unsubscribes every listener', async () => {
    const fake = await setup();
    const store = usePrelabelStore();
    const off = store.listen();
    await store.start();
    await store.cancel();
    expect(fake.calls.at(-1)).toEqual({ channel: 'prelabel:cancel', payload: { jobId: 'job-1' } });
    off();
    expect(fake.listenerCount()).toBe(0);
  });
});
