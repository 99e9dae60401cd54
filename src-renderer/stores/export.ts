/**
 * AVSS export of the current video into a dataset folder (merging into an existing one is main's job).
 * The folder is main's choice, never sent from here (Electron: a folder dialog; browser mode: the server's
 * `--out` folder); the result says where the clips went.
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
    const { split } = useUiStore().prefs;
    running.value = true;
    try {
      await useEditorStore().flush(); // the export must hold every edit made so far
      const result = await useErrorStore().call('export:avss', { videoId: video.videoId, split });
      if (result) last.value = result;
      return result ?? null;
    } finally {
      running.value = false;
    }
  }

  return { running, last, run };
});
