/** One writer per layout, all with the same signature (ExportSource -> a fresh dataset in a folder). */
import type { DatasetFormat } from '../shared/dataset-formats';
import { writeAvss } from './avss-writer';
import { writeCoco } from './coco-writer';
import type { WriterOptions, WriterResult } from './dataset-clips';
import { writeDavis } from './davis-writer';
import type { ExportSource } from './export-source';
import { writeMs3 } from './ms3-writer';
import { writeS4 } from './s4-writer';
import { writeVoc } from './voc-writer';
import { writeYtvos } from './ytvos-writer';

export type DatasetWriter = (source: ExportSource, root: string, opts: WriterOptions) => Promise<WriterResult>;

export const WRITERS: Readonly<Record<DatasetFormat, DatasetWriter>> = {
  avss: writeAvss, s4: writeS4, ms3: writeMs3, coco: writeCoco, voc: writeVoc, davis: writeDavis, ytvos: writeYtvos,
};
