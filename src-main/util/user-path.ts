/**
 * Paths as users type them: surrounding quotes removed (a path pasted from a file manager or copied with its
 * shell quoting, e.g. "'/data/my videos'"), a leading `~` or `~/` expanded to the home folder, then resolved.
 * `~user` is left alone (no portable lookup); everything else is taken literally.
 */
import os from 'node:os';
import path from 'node:path';

export function userPath(text: string, cwd: string = process.cwd()): string {
  let p = text.trim();
  if (p.length >= 2 && (p[0] === '"' || p[0] === "'") && p[p.length - 1] === p[0]) p = p.slice(1, -1);
  if (p === '~') p = os.homedir();
  else if (p.startsWith('~/') || (process.platform === 'win32' && p.startsWith('~\\'))) p = path.join(os.homedir(), p.slice(2));
  return path.resolve(cwd, p);
}
