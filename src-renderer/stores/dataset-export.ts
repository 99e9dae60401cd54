/**
 * The export dialog's state: layout, AVSS window label, split chooser (one split, per video, or a seeded
 * ratio), the preview main computes for them (`export:preview`, nothing written) and the export itself
 * (`export:dataset`: in Electron main asks for the folder; in browser mode, which has no dialog, the typed one).
 */
import { defineStore } from 'pinia';
import { computed, reactive, ref, shallowRef } from 'vue';
import type { DatasetExportSummary, DatasetFormat, ExportPreview, ExportRequest, SplitName, SplitSpec } from '../../src-main/shared/dataset-formats';
import { useErrorStore } from './errors';

export type SplitMode = SplitSpec['kind'];

export const useDatasetExportStore = defineStore('dataset-export', () => {
  const format = ref<DatasetFormat>('avss');
  const label = ref<'v2' | 'v1s' | 'v1m'>('v2');
  const mode = ref<SplitMode>('all');
  const split = ref<SplitName>('train');
  const perVideo = reactive<Record<string, SplitName>>({});
  const ratio = reactive({ train: 0.8, val: 0.1, test: 0.1, seed: 123 });
  const preview = shallowRef<ExportPreview | null>(null);
  const last = shallowRef<DatasetExportSummary | null>(null);
  const running = ref(false);
  /** Browser mode only (main has no folder dialog there): the folder the user typed; empty = the server's --out. */
  const folder = ref('');

  const request = computed((): ExportRequest => {
    const spec: SplitSpec = mode.value === 'all' ? { kind: 'all', split: split.value }
      : mode.value === 'per-video' ? { kind: 'per-video', splits: { ...perVideo }, fallback: split.value }
        : { kind: 'ratio', ...ratio };
    return { format: format.value, split: spec, ...(format.value === 'avss' ? { label: label.value } : {}) };
  });

  let asked = 0;
  async function refreshPreview(): Promise<void> {
    const ticket = ++asked;
    const result = await useErrorStore().call('export:preview', request.value);
    if (ticket === asked) preview.value = result ?? null; // a slower older answer never overwrites a newer one
  }

  async function run(): Promise<DatasetExportSummary | null> {
    if (running.value) return null;
    running.value = true;
    try {
      const typed = folder.value.trim();
      const result = await useErrorStore().call('export:dataset', { ...request.value, ...(typed ? { outDir: typed } : {}) });
      if (result) {
        last.value = result;
        for (const w of result.warnings) useErrorStore().note('export:dataset', w, 'warn');
      }
      return result ?? null;
    } finally {
      running.value = false;
    }
  }

  return { format, label, mode, split, perVideo, ratio, folder, preview, last, running, request, refreshPreview, run };
});
