import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atomicWriteDir, atomicWriteFile } from '../../../src-main/util/atomic-write';
import { makeTempDir } from '../helpers/media-fixtures';

let dir = '';
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('atomicWriteFile', () => {
  it('writes and replaces, leaving no temp files', async () => {
    const file = path.join(dir, 'a.txt');
    await atomicWriteFile(file, 'one');
    await atomicWriteFile(file, new Uint8Array([0x74, 0x77, 0x6f]));
    expect(await fs.readFile(file, 'utf8')).toBe('two');
    expect(await fs.readdir(dir)).toEqual(['a.txt']);
  });

  it('leaves the target untouched and no temp file when the write fails', async () => {
    const file = path.join(dir, 'missing-dir', 'b.txt');
    await expect(atomicWriteFile(file, 'x')).rejects.toThrow();
    expect(await fs.readdir(dir)).toEqual(['a.txt']);
  });
});

describe('atomicWriteDir', () => {
  it('renames a filled temp folder into place and replaces an existing one', async () => {
    const target = path.join(dir, 'clips', 'c1');
    await atomicWriteDir(target, async (tmp) => fs.writeFile(path.join(tmp, 'old.txt'), 'old'));
    await atomicWriteDir(target, async (tmp) => fs.writeFile(path.join(tmp, 'new.txt'), 'new'));
    expect(await fs.readdir(target)).toEqual(['new.txt']);
    expect(await fs.readdir(path.join(dir, 'clips'))).toEqual(['c1']);
  });

  it('removes the temp folder and keeps the old content when filling fails', async () => {
    const target = path.join(dir, 'clips', 'c1');
    await expect(atomicWriteDir(target, async (tmp) => {
      await fs.writeFile(path.join(tmp, 'half.txt'), 'half');
      throw new Error('disk full');
    })).rejects.toThrow('disk full');
    expect(await fs.readdir(path.join(dir, 'clips'))).toEqual(['c1']);
    expect(await fs.readdir(target)).toEqual(['new.txt']);
  });
});
