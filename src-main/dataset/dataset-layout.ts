/** Which supported layout a folder holds, from the files that mark each (no deep reading). */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetFormat } from '../shared/dataset-formats';

const isFile = (p: string): Promise<boolean> => fs.stat(p).then((s) => s.isFile(), () => false);
const isDir = (p: string): Promise<boolean> => fs.stat(p).then((s) => s.isDirectory(), () => false);

export async function detectLayout(dir: string): Promise<DatasetFormat | undefined> {
  const at = (...p: string[]): string => path.join(dir, ...p);
  if (await isFile(at('metadata.csv'))) return 'avss';
  if (await isFile(at('s4_meta_data.csv'))) return 's4';
  if (await isFile(at('ms3_meta_data.csv'))) return 'ms3';
  if (await isDir(at('annotations')) && (await fs.readdir(at('annotations'))).some((n) => /^instances_.*\.json$/.test(n))) return 'coco';
  if (await isDir(at('ImageSets', 'Segmentation'))) return 'voc';
  if (await isDir(at('ImageSets', '2017'))) return 'davis';
  for (const split of ['train', 'val', 'test']) if (await isFile(at(split, 'meta.json'))) return 'ytvos';
  return undefined;
}
