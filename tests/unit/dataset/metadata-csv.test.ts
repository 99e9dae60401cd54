import { describe, expect, it } from 'vitest';
import { formatMetadataRow, mergeMetadata, metadataRows, parseMetadataCsv, MetadataCsvError, type MetadataRow } from '../../../src-main/dataset';

const HEADER = 'vid,uid,s_min,s_sec,a_obj,split,label';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const row = (uid: string, a = 'guitar'): MetadataRow => {
  const m = /^(.*)_(\d+)_(\d+)$/.exec(uid)!;
  const sec = Math.floor(Number(m[2]) / 1000);
  return { vid: m[1]!, uid, s_min: Math.floor(sec / 60), s_sec: sec % 60, a_obj: a, split: 'train', label: 'v2' };
};

describe('metadata.csv', () => {
  it('formats rows as AVSBench does', () => {
    expect(formatMetadataRow(row('_-apT0tfo6U_60000_70000', 'girl_guitar'))).toBe('_-apT0tfo6U,_-apT0tfo6U_60000_70000,1,0,girl_guitar,train,v2');
    expect(formatMetadataRow({ ...row('a_0_10000'), vid: 'a,"b"', uid: 'a,"b"_0_10000' })).toBe('"a,""b""","a,""b""_0_10000",0,0,guitar,train,v2');
  });

  it('creates a new file, then adds rows', () => {
    const first = mergeMetadata(undefined, [row('v_0_10000')]);
    expect(first.text).toBe(`${HEADER}\nv,v_0_10000,0,0,guitar,train,v2\n`);
    const second = mergeMetadata(parseMetadataCsv(enc(first.text), 'm.csv'), [row('v_10000_20000', 'man')]);
    expect(second).toMatchObject({ added: 1, replaced: 0 });
    expect(metadataRows(parseMetadataCsv(enc(second.text), 'm.csv')).map((r) => r.uid)).toEqual(['v_0_10000', 'v_10000_20000']);
  });

  it('replaces a row with the same uid in place and keeps other rows byte-for-byte', () => {
    // CRLF endings, a BOM, a quoted field and a blank line from some other tool must all survive.
    const other1 = '"x,y","x,y_0_10000",0,0,dog,val,v2\r\n';
    const other2 = 'z,z_5000_15000,0,5,cat,test,v1m\r\n';
    const text = `\ufeff${HEADER}\r\n${other1}v,v_0_10000,0,0,guitar,train,v2\r\n\r\n${other2}`;
    const merged = mergeMetadata(parseMetadataCsv(enc(text), 'm.csv'), [row('v_0_10000', 'piano'), row('w_0_10000')]);
    expect(merged).toMatchObject({ added: 1, replaced: 1 });
    expect(merged.text).toBe(`\ufeff${HEADER}\r\n${other1}v,v_0_10000,0,0,piano,train,v2\r\n\r\n${other2}w,w_0_10000,0,0,guitar,train,v2\r\n`);
  });

  it('never duplicates: repeated uids collapse to one row', () => {
    const text = `${HEADER}\nv,v_0_10000,0,0,a,train,v2\nv,v_0_10000,0,0,b,train,v2\n`;
    const merged = mergeMetadata(parseMetadataCsv(enc(text), 'm.csv'), [row('v_0_10000'), row('v_0_10000', 'man')]);
    expect(merged.text).toBe(`${HEADER}\nv,v_0_10000,0,0,man,train,v2\n`);
  });

  it('appends after a last row without a line ending', () => {
    const merged = mergeMetadata(parseMetadataCsv(enc(`${HEADER}\na,a_0_1000,0,0,dog,train,v2`), 'm.csv'), [row('b_0_1000')]);
    expect(merged.text).toBe(`${HEADER}\na,a_0_1000,0,0,dog,train,v2\nb,b_0_1000,0,0,guitar,train,v2\n`);
  });

  it('refuses corrupt files with one line naming the file', () => {
    const cases = [
      'not,a,metadata,file\n1,2,3,4\n',
      `${HEADER}\nv,v_0_10000,0,0,guitar,train\n`,
      `${HEADER}\n"v,v_0_10000,0,0,guitar,train,v2\n`,
      `${HEADER}\nv,,0,0,guitar,train,v2\n`,
      '',
    ];
    for (const text of cases) {
      const err = (() => { try { parseMetadataCsv(enc(text), '/d/metadata.csv'); } catch (e) { return e; } return undefined; })();
      expect(err).toBeInstanceOf(MetadataCsvError);
      expect((err as Error).message).toMatch(/^\/d\/metadata\.csv: [^\n]+$/);
    }
    expect(() => parseMetadataCsv(Uint8Array.from([0xff, 0xfe, 0x00, 0x41]), 'm.csv')).toThrow(/UTF-8/);
  });
});
