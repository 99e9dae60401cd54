/**
 * Flood fill / magic wand: a click adds to the selected object the 4-connected region whose frame colour is within
 * the tolerance of the clicked pixel's colour (the frame image's RGB), or the region of equal object id when the
 * frame image is not decoded yet. One click, one history entry; there is no in-between state.
 */
import type { Point } from '../geometry';
import { colourRegion, idRegion } from '../raster-ops';
import { StrokeWriter } from '../stroke-writer';
import { paintableTarget, type Tool, type ToolHost, type ToolPreview, type ToolState } from './tool';

export class FillTool implements Tool {
  readonly id = 'fill' as const;
  readonly state: ToolState = 'idle';

  constructor(private readonly host: ToolHost) {}

  down(p: Point, button: number): void {
    if (button !== 0) return;
    const target = paintableTarget(this.host);
    if (target === null) return;
    const { doc, frame, settings } = this.host;
    const image = doc.frameImage(frame);
    const raster = doc.raster(frame);
    const region = image ? colourRegion(image, p, settings.tolerance) : idRegion(raster.data, doc.width, doc.height, p);
    const writer = new StrokeWriter(doc, frame, target, settings.exclusive);
    for (const i of region) writer.apply(i, 'add');
    this.host.commit('Fill', writer.commit());
  }

  move(): void {}
  up(): void {}
  key(): boolean {
    return false;
  }
  cancel(): void {}
  preview(): ToolPreview {
    return {};
  }
}
