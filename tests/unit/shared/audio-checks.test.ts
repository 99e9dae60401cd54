// The audio-aware checks on crafted documents, and the timeline's edits through the export rule
// (flattenToClasses / soundingClasses): a silent second exports no mask for that object; a_obj follows the flags.
import { describe, expect, it } from 'vitest';
import { audioChecks, countByKind } from '../../../src-main/shared/audio-checks';
import { setSounding, soundingEdit } from '../../../src-main/shared/sound-timeline';
import {
  flattenToClasses, soundingClasses, type FrameState, type ObjectRaster, type ProjectObject,
} from '../../../src-main/shared/project-model';

const frame = (index: number, review: FrameState['review'] = 'approved'): FrameState => ({
  index, timeSec: index + 15 / 16, review, source: { kind: 'edited' }, revision: 1,
});
const object = (id: number, classIndex: number, sounding: boolean[], name?: string): ProjectObject => ({
  id, classIndex, visible: true, locked: false, z: id, sounding, ...(name ? { name } : {}),
});

describe('audio-aware checks', () => {
  const video = {
    frames: [frame(0), frame(1, 'unreviewed'), frame(2)],
    objects: [object(1, 5, [true, false, true], 'dog'), object(2, 9, [false, true, true])],
  };
  const pixels = [new Map([[1, 40]]), new Map([[1, 30], [2, 0]]), new Map([[1, 10], [2, 12]])];

  it('finds each kind at its frame and object', () => {
    const items = audioChecks({ video, pixels, levels: [-20, -20, -70] });
    const key = items.map((i) => `${i.kind}@${i.frame}#${i.objectId ?? '-'}`).sort();
    expect(key).toEqual([
      'mask-silent@1#1', // dog has pixels in second 1, marked silent
      'sounding-no-mask@1#2', // object 2 sounds in second 1, no pixels
      'sounding-on-silence@2#1', 'sounding-on-silence@2#2', // second 2 is silent audio
      'unreviewed@1#-',
    ].sort());
    expect(items.find((i) => i.kind === 'mask-silent')!.message).toContain('dog');
    expect(countByKind(items)).toEqual({ 'mask-silent': 1, 'sounding-no-mask': 1, 'sounding-on-silence': 2, unreviewed: 1 });
  });

  it('says nothing it cannot know: no raster, no levels', () => {
    const items = audioChecks({ video, pixels: [undefined, undefined, undefined] });
    expect(items.map((i) => i.kind)).toEqual(['unreviewed']);
  });

  it('a clean document has no items', () => {
    const clean = { frames: [frame(0)], objects: [object(1, 5, [true])] };
    expect(audioChecks({ video: clean, pixels: [new Map([[1, 3]])], levels: [-10] })).toEqual([]);
  });
});

describe('sound timeline edits and the export rule', () => {
  const raster: ObjectRaster = { width: 2, height: 1, data: new Uint16Array([1, 2]) };

  it('a click or a drag sets a run of seconds in one object:update edit', () => {
    expect(setSounding([true, true, false], 5, 3, 1, false)).toEqual([true, false, false, false, false]);
    const dog = object(1, 5, [true, true, true]);
    const edit = soundingEdit('v1', dog, 3, 1, 1, false);
    expect(edit).toEqual({ op: 'object:update', videoId: 'v1', objectId: 1, changes: { sounding: [true, false, true] } });
    expect(soundingEdit('v1', dog, 3, 0, 2, true)).toBeNull();
  });

  it('a silent second exports no mask for that object; a_obj follows the flags', () => {
    const dog = object(1, 5, [true, true]);
    const cat = object(2, 9, [false, true]);
    const edit = soundingEdit('v1', dog, 2, 1, 1, false)!;
    const dogAfter = { ...dog, ...(edit.op === 'object:update' ? edit.changes : {}) } as ProjectObject;
    expect(Array.from(flattenToClasses(raster, [dogAfter, cat], 0))).toEqual([5, 0]);
    expect(Array.from(flattenToClasses(raster, [dogAfter, cat], 1))).toEqual([0, 9]);
    expect(soundingClasses([dogAfter, cat], 0, 2)).toEqual([5, 9]);
    expect(soundingClasses([dogAfter, cat], 1, 2)).toEqual([9]);
  });
});
