// Bounded folder creation and file-system errors in words: /proc fails fast (Node's recursive mkdir spins there
// for ever as root), a file in the way is named, and errno text never reaches the user.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeFsError, FileStepError } from '../../../src-main/util/fs-errors';
import { makeDirs } from '../../../src-main/util/make-dir';

const dir = mkdtempSync(join(tmpdir(), 'avs-mkdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('makeDirs', () => {
  it('creates missing parents, and accepts an existing folder', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    await makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    await makeDirs(deep);
  });

  it('fails at once on a virtual file system, naming the folder', async () => {
    const err = await makeDirs('/proc/avs-x/y').then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(FileStepError);
    expect(err!.message).toMatch(/^\/proc\/avs-x: (cannot create a folder here \(virtual or vanishing file system\?\)|permission denied|operation not permitted)$/);
  });

  it('names the file that stands where a folder should be', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await expect(makeDirs(join(dir, 'file', 'sub'))).rejects.toThrow(new RegExp(`^${join(dir, 'file')}: is a file, not a folder$`));
  });

  it('turns errno errors into words, one line', () => {
    mkdirSync(join(dir, 'ro'));
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(describeFsError(enospc, '/data/x.png')).toBe('/data/x.png: disk full');
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/x'"), { code: 'EACCES' });
    expect(describeFsError(eacces, '/x')).toBe('/x: permission denied');
    expect(describeFsError(new Error('two\nlines'), '/y')).toBe('/y: two');
  });
});
