// The renderer's undo of a delete or a merge, sent to a real project on disk the way the editor store sends it
// (every edit the document emits, in order): main accepts each batch and ends with the renderer's pixels and objects.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Edit } from '../../../src-main/shared/project-model';
import { createProject } from '../../../src-main/project/open-project';
import { deleteObject, mergeObjects } from '../../../src-renderer/editor/object-ops';
import { makeTempDir } from '../app-support/test-media';
import { recorder, videoDoc } from '../project/project-support';
import { makeEditor, object } from './fixture';

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

describe('undo of object changes against the project', () => {
  it('undoes a delete and a merge, and main takes both', async () => {
    const { editor, doc } = makeEditor({ width: 8, height: 6, objects: [object(1), object(2)] });
    const project = await createProject(join(tmp.dir, 'p'), 'Undo', { listener: recorder() });
    await project.commit([{ op: 'video:add', video: videoDoc('v1', 4, 8, 6) }]);
    await project.commit(doc.objects.map((o) => ({ op: 'object:add' as const, videoId: 'v1', object: o })));
    const pending: Edit[] = [];
    doc.on('edit', (edit) => void pending.push(edit));
    const send = async (): Promise<void> => void (await project.commit(pending.splice(0)));
    const inMain = async (): Promise<{ pixels: number[]; objects: number[] }> => ({
      pixels: [...(await project.raster('v1', 0)).raster.data],
      objects: project.state().manifest.videos[0]!.objects.map((o) => o.id).sort(),
    });
    const inEditor = (): { pixels: number[]; objects: number[] } => ({ pixels: [...doc.raster(0).data], objects: doc.objects.map((o) => o.id).sort() });
    doc.applyPixels(0, { x: 0, y: 0, w: 4, h: 1 }, new Uint16Array([1, 1, 2, 2]));
    await send();
    const start = await inMain();

    deleteObject(editor, 1);
    await send();
    expect((await inMain()).objects).toEqual([2]);
    editor.undo();
    await send();
    expect(await inMain()).toEqual(start);

    mergeObjects(editor, 2, 1);
    await send();
    expect((await inMain()).pixels.slice(0, 4)).toEqual([2, 2, 2, 2]);
    editor.undo();
    await send();
    expect(await inMain()).toEqual(start);
    expect(inEditor()).toEqual(start);
    await project.close();
  });
});
