// The project's raster cache is bounded in bytes, whatever the video's length: a long 1080p pre-label must not
// keep its rasters, and reading many frames keeps only about 64 MB of them (48 rasters, 200 MB, before).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProject } from '../../../src-main/project/open-project';
import { makeTempDir } from '../app-support/test-media';
import { object, recorder, videoDoc } from './project-support';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

// A full collection is the only way to see what is still referenced (the test process has no --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const arrayBufferMb = (): number => {
  gc();
  return process.memoryUsage().arrayBuffers / 2 ** 20;
};

describe('raster cache', () => {
  it('keeps neither pre-labelled rasters nor more than its byte budget of read ones', async () => {
    const [width, height, frames] = [1920, 1080, 40];
    const project = await createProject(join(tmp.dir, 'p'), 'Long', { listener: recorder() });
    await project.commit([{ op: 'video:add', video: videoDoc('v1', frames, width, height) }]);
    const baseline = arrayBufferMb();
    for (let start = 0; start < frames; start += 10) {
      await project.writeFrames('v1', (video) => ({
        objects: [object(1, 5, frames)], nextObjectId: 2,
        frames: Array.from({ length: 10 }, (_, k) => {
          const data = new Uint16Array(width * height);
          data.fill(1, 0, (start + k + 1) * 1000);
          return { index: start + k, timeSec: video.frames[start + k]!.timeSec, source: { kind: 'none' as const }, raster: { width, height, data } };
        }),
      }));
    }
    // 40 rasters of 4 MB were written: none is held.
    expect(arrayBufferMb() - baseline).toBeLessThan(24);
    for (let f = 0; f < frames; f++) {
      const { raster } = await project.raster('v1', f);
      expect(raster.data[(f + 1) * 1000 - 1]).toBe(1); // read back from its mask file
      expect(raster.data[(f + 1) * 1000]).toBe(0);
    }
    // Read back, they are cached up to the budget (64 MB = 16 of them), not all 40 (160 MB).
    const held = arrayBufferMb() - baseline;
    expect(held).toBeGreaterThan(32);
    expect(held).toBeLessThan(64 + 24);
    await project.close();
  }, 60_000);
});
