/**
 * AVSS export of the current video into a dataset folder (merging into an existing one is main's job).
 * A typed folder is sent as `outDir`; left empty, main decides (Electron: a folder dialog; browser mode: the
 * server's `--out` folder).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ExportResult } from '../../src-main/shared/ipc-contract';
import { useEditorStore } from './editor';
import { useErrorStore } from './errors';
import { useSessionStore } from './session';
import { useUiStore } from './ui';

export const useExportStore = defineStore('export', () => {
  const running = ref(false);
  const last = shallowRef<ExportResult | null>(null);

  async function run(): Promise<ExportResult | null> {
    const video = useSessionStore().current;
    if (!video || running.value) return null;
    const { split, exportDir } = useUiStore().prefs;
    running.value = true;
    try {
      await useEditorStore().flush(); // the export must hold every edit made so far
      const dir = exportDir.trim();
      const result = await useErrorStore().call('export:avss', {
        videoId: video.videoId, split, ...(dir ? { outDir: dir } : {}),
      });
      if (result) last.value = result;
      return result ?? null;
    } finally {
      running.value = false;
    }
  }

  return { running, last, run };
});
