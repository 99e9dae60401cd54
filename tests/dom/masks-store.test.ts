import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { installApi } from '../../src-renderer/api';
import { useErrorStore } from '../../src-renderer/stores/errors';
import { useMaskStore } from '../../src-renderer/stores/masks';
import { usePrelabelStore } from '../../src-renderer/stores/prelabel';
import { useSessionStore } from '../../src-renderer/stores/session';
import { createFakeApi, prelabelResult, video } from './fake-api';

// jsdom has no canvas: decoding is exercised in Chromium (tests/browser); here only the store logic.
vi.mock('../../src-renderer/canvas/mask-layers', () => ({
  decodeClassMask: async () => ({ width: 4, height: 2, data: new Uint8Array([0, 7, 7, 0, 20, 20, 20, 0]) }),
  splitClassLayers: (_mask: unknown, only: number[]) =>
    only.map((classIndex) => ({ classIndex, canvas: { id: classIndex }, pixelCount: classIndex === 7 ? 2 : 3 })),
}));

const frames = [
  { index: 0, timeSec: 0.9375, classes: [7, 20], pixelCounts: [2, 3] },
  { index: 1, timeSec: 1.9375, classes: [], pixelCounts: [] },
  { index: 2, timeSec: 2.9375, classes: [7], pixelCounts: [5] },
];

describe('mask store', () => {
  const fetchMock = vi.fn(async () => new Response(new Uint8Array([137, 80, 78, 71]), { status: 200 }));

  beforeEach(async () => {
    localStorage.clear();
    setActivePinia(createPinia());
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockClear();
    installApi(createFakeApi({ 'video:open': () => video('v'), 'prelabel:result': () => prelabelResult('v', frames) }).api);
    await useSessionStore().open('/v.mp4');
  });
  afterEach(() => vi.unstubAllGlobals());

  it('builds named, coloured layers with main\'s pixel counts', async () => {
    const masks = useMaskStore();
    await masks.load('v', 0);
    expect(useErrorStore().entries).toEqual([]);
    expect(fetchMock).toHaveBeenCalledWith('http://fake/media/v/mask/0.png', { cache: 'no-store' });
    expect(masks.layers.map((l) => [l.classIndex, l.name, l.colour, l.pixelCount])).toEqual([
      [7, 'bird', 'rgb(128, 128, 128)', 2],
      [20, 'duck', 'rgb(0, 64, 128)', 3],
    ]);
    expect(masks.layers[0]).toMatchObject({ visible: true, opacity: 0.6 });
  });

  it('keeps show/hide and opacity per class across frames', async () => {
    const masks = useMaskStore();
    await masks.load('v', 0);
    masks.setVisible(7, false);
    masks.setOpacity(7, 1.7);
    await masks.load('v', 2);
    expect(masks.layers).toHaveLength(1);
    expect(masks.layers[0]).toMatchObject({ classIndex: 7, visible: false, opacity: 1, pixelCount: 5 });
  });

  it('fetches nothing for frames without classes and reuses cached frames', async () => {
    const masks = useMaskStore();
    await masks.load('v', 1);
    expect(masks.layers).toEqual([]);
    await masks.load('v', 0);
    await masks.load('v', 0);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // a new result (re-run) must not reuse the old raster
    await usePrelabelStore().loadResult('v');
    await masks.load('v', 0);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('shows a failed mask download on the banner', async () => {
    fetchMock.mockResolvedValueOnce(new Response('nope', { status: 404 }));
    const masks = useMaskStore();
    await masks.load('v', 0);
    expect(masks.layers).toEqual([]);
    expect(useErrorStore().entries[0]?.message).toMatch(/Mask of frame 0 .*404/);
  });
});
