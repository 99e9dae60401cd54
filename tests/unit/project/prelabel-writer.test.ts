/**
 * PrelabelWriter: a window of model masks becomes revision 0 of its frames, one object per AVSS class. The pixel
 * mapping is prepared ahead, frame by frame; an object added by the annotator meanwhile is reused (its id wins)
 * and the pixels are mapped again for it, never written under a stale id.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '../../../src-main/dataset/png';
import { createProject } from '../../../src-main/project/open-project';
import { PrelabelWriter } from '../../../src-main/project/prelabel-writer';
import type { Project } from '../../../src-main/project/project';
import type { WindowFrame } from '../../../src-main/pipeline/prelabel-video';
import { AVSS_CLASSES } from '../../../src-main/shared/avss-classes';
import type { ModelInfo } from '../../../src-main/shared/ipc-contract';
import type { MaskSource } from '../../../src-main/shared/project-model';
import { makeTempDir } from '../app-support/test-media';
import { object, recorder, videoDoc } from './project-support';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());
let n = 0;
const W = 8, H = 6;
const DOG = AVSS_CLASSES.indexOf('dog');
// The model's own class list: index 1 is "dog" (AVSS class DOG), index 2 is not an AVSS class.
const model = { classes: ['background', 'dog', 'not-a-class'] } as unknown as ModelInfo;
const source: MaskSource = { kind: 'model', model: 'test', version: '1', provider: 'cpu' };

/** Frame k: model class 1 (dog) on row k, class 2 (no AVSS class) on the last row. */
function window(frames: number): WindowFrame[] {
  return Array.from({ length: frames }, (_, k) => {
    const classes = new Uint8Array(W * H);
    classes.fill(1, k * W, (k + 1) * W);
    classes.fill(2, (H - 1) * W);
    return { label: { index: k, timeSec: k, classes: [1, 2], pixelCounts: [W, W] }, png: encodePng(W, H, 1, classes) };
  });
}

async function seeded(): Promise<Project> {
  const project = await createProject(join(tmp.dir, `p${n++}`), 'P', { listener: recorder() });
  await project.commit([{ op: 'video:add', video: videoDoc('v1', 3, W, H) }]);
  return project;
}

const rowIds = async (project: Project, frame: number): Promise<number[]> => {
  const { raster } = await project.raster('v1', frame);
  return Array.from({ length: H }, (_, y) => raster.data[y * W]!);
};

describe('PrelabelWriter', () => {
  it('writes one object per AVSS class, its pixels where the model found it, sounding where present', async () => {
    const project = await seeded();
    await new PrelabelWriter(project, 'v1', model, source).window(window(3));
    const video = project.video('v1');
    expect(video.objects.map((o) => [o.id, o.classIndex])).toEqual([[1, DOG]]);
    expect(video.objects[0]!.sounding).toEqual([true, true, true]);
    expect(await rowIds(project, 1)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(video.frames.map((f) => f.source.kind)).toEqual(['model', 'model', 'model']);
    await project.close();
  });

  it('an object of the class added while the window was being prepared is reused, and its id is written', async () => {
    const project = await seeded();
    const writing = new PrelabelWriter(project, 'v1', model, source).window(window(3));
    // Queued before the writer's build (which waits for the frames' preparation): the annotator's dog, id 7.
    await project.commit([{ op: 'object:add', videoId: 'v1', object: object(7, DOG, 3, { sounding: [false, false, false] }) }]);
    await writing;
    const video = project.video('v1');
    expect(video.objects.map((o) => o.id)).toEqual([7]);
    expect(await rowIds(project, 0)).toEqual([7, 0, 0, 0, 0, 0]);
    expect(await rowIds(project, 2)).toEqual([0, 0, 7, 0, 0, 0]);
    await project.close();
  });
});
