// The app's class table must be the model half's, name for name and colour for colour: a mismatch would export
// masks whose ids and colours disagree with the labels (the complaint peers.md lists against other tools).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AVSS_CLASSES, AVSS_PALETTE, label2idx, vocPalette } from '../../../src-main/shared/avss-classes';

const pythonSource = readFileSync(new URL('../../../models/ccformer/avss.py', import.meta.url), 'utf8');

function pythonObjectClasses(): string[] {
  const body = pythonSource.match(/AVSS_OBJECT_CLASSES[^=]*=\s*\(([\s\S]*?)\n\)/)?.[1];
  if (!body) throw new Error('AVSS_OBJECT_CLASSES not found in models/ccformer/avss.py');
  return [...body.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe('AVSS classes', () => {
  it('match the Python table in order, background first', () => {
    expect(AVSS_CLASSES).toEqual(['background', ...pythonObjectClasses()]);
    expect(AVSS_CLASSES).toHaveLength(71);
  });

  it('are alphabetical after background, as published', () => {
    const objects = AVSS_CLASSES.slice(1);
    expect([...objects].sort()).toEqual(objects);
  });

  it('label2idx is 1-based with background = 1', () => {
    const map = label2idx();
    expect(map.background).toBe(1);
    expect(map.accordion).toBe(2);
    expect(map.woman).toBe(71);
  });

  it('palette follows the PASCAL-VOC bit interleaving', () => {
    expect(AVSS_PALETTE[0]).toEqual([0, 0, 0]);
    expect(AVSS_PALETTE[1]).toEqual([128, 0, 0]);
    expect(AVSS_PALETTE[7]).toEqual([128, 128, 128]);
    expect(AVSS_PALETTE[8]).toEqual([64, 0, 0]);
    expect(AVSS_PALETTE[15]).toEqual([192, 128, 128]);
    expect(new Set(AVSS_PALETTE.map((c) => c.join(','))).size).toBe(71);
    expect(vocPalette(256)[255]).toEqual([224, 224, 192]);
  });
});
