import { describe, expect, it } from 'vitest';
import {
  EditSchema, ObjectSchema, ProjectManifestSchema, emptyRaster, flattenToClasses, parseOrThrow, pixelCounts,
  readRect, soundingClasses, writeRect, type ProjectObject,
} from '../../../src-main/shared/project-model';

const object = (id: number, classIndex: number, sounding: boolean[]): ProjectObject => ({
  id, classIndex, visible: true, locked: false, z: id, sounding,
});

describe('project model', () => {
  it('names the failing field of a broken manifest', () => {
    const manifest = {
      schemaVersion: 1, id: 'p1', name: 'x', createdAt: '2026-12-01T00:00:00.000Z',
      videos: [{
        id: 'v1', file: { path: '/a.mp4', size: 1, fingerprint: '0123456789abcdef' }, durationSec: 2, fps: 25,
        width: 4, height: 2, rotation: 0, hasAudio: true, frames: [], nextObjectId: 2,
        objects: [object(1, 71, [true, false])],
      }],
    };
    expect(() => parseOrThrow(ProjectManifestSchema, manifest, 'project.json')).toThrow(/^project\.json: videos\[0\]\.objects\[0\]\.classIndex: /);
    manifest.videos[0]!.objects[0]!.classIndex = 5;
    expect(parseOrThrow(ProjectManifestSchema, manifest, 'project.json').videos[0]!.objects[0]!.classIndex).toBe(5);
  });

  it('rejects unknown fields and wrong edit payloads', () => {
    expect(() => parseOrThrow(ObjectSchema, { ...object(1, 3, []), colour: 'red' }, 'o')).toThrow(/colour/);
    expect(() => parseOrThrow(EditSchema, { op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 0, y: 0, w: 1, h: 1 }, after: [1] }, 'edit')).toThrow(/after/);
    const ok = parseOrThrow(EditSchema, { op: 'pixels', videoId: 'v1', frame: 0, rect: { x: 0, y: 0, w: 1, h: 1 }, after: new Uint16Array([1]) }, 'edit');
    expect(ok.op).toBe('pixels');
  });

  it('reads and writes rectangles exactly, and refuses ones outside the raster', () => {
    const raster = emptyRaster(4, 3);
    writeRect(raster, { x: 1, y: 1, w: 2, h: 2 }, new Uint16Array([1, 2, 3, 4]));
    expect([...raster.data]).toEqual([0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0]);
    expect([...readRect(raster, { x: 2, y: 1, w: 2, h: 2 })]).toEqual([2, 0, 4, 0]);
    expect(() => readRect(raster, { x: 3, y: 0, w: 2, h: 1 })).toThrow(/outside/);
    expect(pixelCounts(raster)).toEqual(new Map([[1, 1], [2, 1], [3, 1], [4, 1]]));
  });

  it('flattens to classes only where an object sounds', () => {
    const raster = emptyRaster(3, 1);
    raster.data.set([1, 2, 0]);
    const objects = [object(1, 7, [true, false]), object(2, 9, [false, true])];
    expect([...flattenToClasses(raster, objects, 0)]).toEqual([7, 0, 0]);
    expect([...flattenToClasses(raster, objects, 1)]).toEqual([0, 9, 0]);
    expect(soundingClasses(objects, 0, 2)).toEqual([7, 9]);
    expect(soundingClasses(objects, 0, 1)).toEqual([7]);
  });
});
