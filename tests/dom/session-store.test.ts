import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { installApi } from '../../src-renderer/api';
import { useErrorStore } from '../../src-renderer/stores/errors';
import { useSessionStore } from '../../src-renderer/stores/session';
import { usePrelabelStore } from '../../src-renderer/stores/prelabel';
import { createFakeApi, prelabelResult, video } from './fake-api';

describe('session store', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('loads what main already opened and selects the last video (its result follows: workspace test)', async () => {
    const fake = createFakeApi({
      'app:info': () => ({ version: '0.1.0', mode: 'browser', ffmpeg: 'system', providers: ['cpu'] }),
      'video:list': () => [video('a'), video('b')],
      'prelabel:result': ({ videoId }) => (videoId === 'b' ? prelabelResult('b', []) : null),
    });
    installApi(fake.api);
    const session = useSessionStore();
    await session.init();
    expect(session.mode).toBe('browser');
    expect(session.current?.videoId).toBe('b');
    expect(fake.calls.some((c) => c.channel === 'prelabel:result')).toBe(false);
    await usePrelabelStore().loadResult('b');
    expect(usePrelabelStore().current?.videoId).toBe('b');
  });

  it('opens a typed path, replaces a re-opened video and selects it', async () => {
    const fake = createFakeApi({
      'video:open': ({ path }) => video(path === '/v/x.mp4' ? 'x' : 'y'),
      'prelabel:result': () => null,
    });
    installApi(fake.api);
    const session = useSessionStore();
    await session.open('/v/x.mp4');
    await session.open('/v/x.mp4');
    expect(session.videos.map((v) => v.videoId)).toEqual(['x']);
    expect(fake.calls.find((c) => c.channel === 'video:open')?.payload).toEqual({ path: '/v/x.mp4' });
  });

  it('treats a cancelled dialog as nothing and shows open errors on the banner', async () => {
    let answer: 'cancel' | 'fail' = 'cancel';
    installApi(createFakeApi({
      'video:open': () => (answer === 'cancel' ? null : { code: 'media', message: 'x.mp4: no video stream' }),
    }).api);
    const session = useSessionStore();
    expect(await session.open()).toBeNull();
    expect(useErrorStore().entries).toHaveLength(0);
    answer = 'fail';
    expect(await session.open('/x.mp4')).toBeNull();
    expect(useErrorStore().entries[0]).toMatchObject({ source: 'video:open', message: 'x.mp4: no video stream' });
  });

  it('clamps frame moves to the video', async () => {
    installApi(createFakeApi({ 'video:open': () => video('v', { sampledFrames: 3 }), 'prelabel:result': () => null }).api);
    const session = useSessionStore();
    await session.open('/v.mp4');
    expect(session.step(-1)).toBe(0);
    expect(session.setFrame(10)).toBe(2);
    expect(session.step(-1)).toBe(1);
  });
});
