/** Whether one path lies within another, by their text (resolve links first where that matters). */
import { isAbsolute, relative } from 'node:path';

/** `child` is `parent` or somewhere below it. */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
