/** Mask PNG -> Konva layers in real Chromium: the pixels drawn must carry the AVSS palette colour. */
import { afterEach, describe, expect, it } from 'vitest';
import { mount, type VueWrapper } from '@vue/test-utils';
import { nextTick } from 'vue';
import type Konva from 'konva';
import { AVSS_PALETTE } from '../../src-main/shared/avss-classes';
import FrameView from '../../src-renderer/components/FrameView.vue';
import { decodeClassMask, splitClassLayers } from '../../src-renderer/canvas/mask-layers';
import type { LayerView } from '../../src-renderer/stores/masks';
import { encodeGreyPng } from './png';

const W = 40;
const H = 20;

/** Left half class 7 (bird), a 10x10 square of class 20 (duck) on the right, rest background. */
function classIndexPixels(): Uint8Array {
  const px = new Uint8Array(W * H);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (x < 20) px[y * W + x] = 7;
      else if (x >= 25 && x < 35 && y >= 5 && y < 15) px[y * W + x] = 20;
    }
  }
  return px;
}

async function layersFromPng(): Promise<LayerView[]> {
  const mask = await decodeClassMask(await encodeGreyPng(W, H, classIndexPixels()));
  return splitClassLayers(mask).map((r) => ({
    ...r, name: `class ${r.classIndex}`, colour: '', visible: true, opacity: 1,
  }));
}

function pixel(stage: Konva.Stage, x: number, y: number): number[] {
  const canvas = stage.toCanvas({ pixelRatio: 1 });
  return [...canvas.getContext('2d')!.getImageData(x, y, 1, 1).data];
}

let wrapper: VueWrapper | null = null;
afterEach(() => {
  wrapper?.unmount();
  wrapper = null;
});

async function mountView(layers: LayerView[]): Promise<Konva.Stage> {
  const host = document.createElement('div');
  host.style.cssText = `width: ${W}px; height: ${H}px; display: flex;`;
  document.body.append(host);
  wrapper = mount(FrameView, { props: { frameUrl: null, width: W, height: H, layers }, attachTo: host });
  await nextTick();
  const stage = (wrapper.vm as unknown as { getStage(): Konva.Stage | null }).getStage();
  if (!stage) throw new Error('no stage');
  return stage;
}

describe('mask layers in Konva', () => {
  it('decodes a greyscale class-index PNG exactly', async () => {
    const values = new Uint8Array([0, 1, 7, 20, 63, 70, 255, 128]);
    const mask = await decodeClassMask(await encodeGreyPng(4, 2, values));
    expect([...mask.data]).toEqual([...values]);
  });

  it('draws one layer per class in the palette colour', async () => {
    const layers = await layersFromPng();
    expect(layers.map((l) => [l.classIndex, l.pixelCount])).toEqual([[7, 400], [20, 100]]);
    const stage = await mountView(layers);
    expect(stage.getLayers().map((l) => l.name())).toEqual(['frame', 'class-7', 'class-20', 'tools']);
    expect(pixel(stage, 5, 5)).toEqual([...AVSS_PALETTE[7]!, 255]);
    expect(pixel(stage, 30, 10)).toEqual([...AVSS_PALETTE[20]!, 255]);
    expect(pixel(stage, 22, 2)[3]).toBe(0); // background stays transparent over the frame
  });

  it('show/hide and opacity change what is drawn', async () => {
    const layers = await layersFromPng();
    const stage = await mountView(layers);
    await wrapper!.setProps({ layers: layers.map((l) => (l.classIndex === 7 ? { ...l, visible: false } : { ...l, opacity: 0.5 })) });
    await nextTick();
    expect(pixel(stage, 5, 5)[3]).toBe(0);
    const half = pixel(stage, 30, 10);
    expect(half[3]).toBeGreaterThan(120);
    expect(half[3]).toBeLessThan(135);
    // the layer's on-screen canvas follows too (Konva hides invisible layers' canvases)
    const hidden = stage.findOne<Konva.Layer>('.class-7')!;
    expect(hidden.visible()).toBe(false);
    expect(hidden.getCanvas()._canvas.style.display).toBe('none');
  });
});
