/**
 * Shows a click-to-mask proposal before it is accepted: a raster-sized canvas placed inside the frame view's mask
 * overlay element (`data-testid="mask-overlay"`), which the frame view already transforms from raster pixels
 * to the screen, so the proposal lines up at every zoom and pan without knowing the view's transform.
 */
import { decodeMask, type BinaryMask } from '../../../src-main/shared/binary-mask';

const CLASS = 'assist-proposal';

export function showProposal(mask: BinaryMask | null, root: ParentNode = document): void {
  const host = root.querySelector<HTMLElement>('[data-testid="mask-overlay"]');
  let canvas = host?.querySelector<HTMLCanvasElement>(`canvas.${CLASS}`) ?? null;
  if (!mask || !host) {
    canvas?.remove();
    return;
  }
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.className = CLASS;
    canvas.dataset['testid'] = 'click-proposal';
    canvas.style.cssText = 'position:absolute;left:0;top:0;pointer-events:none;';
    host.appendChild(canvas);
  }
  canvas.width = mask.width;
  canvas.height = mask.height;
  const bits = decodeMask(mask);
  const image = new ImageData(mask.width, mask.height);
  for (let i = 0; i < bits.length; i++) {
    if (!bits[i]) continue;
    // Inside: translucent white; the rim (a neighbour outside) opaque, so the outline reads on any colour.
    const x = i % mask.width;
    const rim = x === 0 || x === mask.width - 1 || !bits[i - 1] || !bits[i + 1] || !bits[i - mask.width] || !bits[i + mask.width];
    image.data.set(rim ? [255, 255, 255, 255] : [255, 255, 255, 110], i * 4);
  }
  canvas.getContext('2d')!.putImageData(image, 0, 0);
}
