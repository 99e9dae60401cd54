/**
 * makeDirs: `mkdir -p` with a bound. Node's own recursive mkdir loops for ever (spinning a core, deaf to
 * SIGTERM) under virtual file systems such as /proc, where creating an entry fails with ENOENT although the
 * parent exists. Here each missing component is created once, non-recursively, and that case becomes an error.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** errno-style code of a folder that cannot be created although its parent exists (procfs, sysfs). */
export const VIRTUAL_FS = 'EAVS_VIRTUAL_FS';

export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let p = path.resolve(dir);
  for (;;) {
    const info = await fs.stat(p).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (info) {
      if (!info.isDirectory()) throw Object.assign(new Error(`${p}: not a folder`), { code: 'ENOTDIR', path: p });
      break;
    }
    missing.push(p);
    const parent = path.dirname(p);
    if (parent === p) break;
    p = parent;
  }
  for (const m of missing.reverse()) {
    try {
      await fs.mkdir(m);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await fs.stat(m).then((s) => s.isDirectory(), () => false))) continue;
      if (code === 'ENOENT') throw Object.assign(new Error(`${m}: cannot create a folder here`), { code: VIRTUAL_FS, path: m });
      throw err;
    }
  }
}
