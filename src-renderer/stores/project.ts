/**
 * The open project as the menu shows it (name, folder, untitled or not) and the moves between projects: new,
 * open, open recent, save as, close. Every move first sends the editor's pending edits and waits for main to
 * take them (a project switch must never drop a stroke); failures go to the notices area through `call()`.
 * After open / new / close the window follows main: the videos are reloaded and the editor document rebuilt.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ProjectState, RecentEntry } from '../../src-main/shared/ipc-contract';
import { useApi } from '../api';
import { useEditorStore } from './editor';
import { useErrorStore } from './errors';
import { useSessionStore } from './session';

/** What a folder is asked for (browser mode types it into the path dialog; Electron asks in main's dialog). */
export type ProjectPathPurpose = 'create' | 'open' | 'save-as' | 'import-masks';

export const useProjectStore = defineStore('project', () => {
  const errors = useErrorStore();
  const state = shallowRef<ProjectState | null>(null);
  const recent = ref<RecentEntry[]>([]);
  const busy = ref(false);

  const name = computed(() => {
    const s = state.value;
    if (!s) return 'No project';
    return s.untitled ? 'untitled' : s.manifest.name;
  });

  /** Reads main's open project (at start, and after main made the untitled one for a video). */
  async function refresh(): Promise<void> {
    const result = await useApi().invoke('project:state', {});
    // A build without the project layer answers `unsupported`: the menu shows no project, nothing else breaks.
    if (result.ok) state.value = result.value;
    else if (result.error.code !== 'unsupported') errors.report('project:state', result.error);
  }

  async function loadRecent(): Promise<void> {
    const list = await errors.call('project:recent', {});
    if (list) recent.value = list;
  }

  async function forget(dir: string): Promise<void> {
    const list = await errors.call('project:forget-recent', { path: dir });
    if (list) recent.value = list;
  }

  /**
   * Runs one move with the editor's edits flushed first. `run` answers the project open after it (null: none), or
   * false when nothing changed (refused: the notice says why; or the dialog was cancelled). `reload`: the window
   * shows another document afterwards, from video `show` (default: the last one).
   */
  async function move(run: () => Promise<ProjectState | null | false>, reload: boolean, show?: string): Promise<boolean> {
    if (busy.value) return false;
    busy.value = true;
    const editor = useEditorStore();
    try {
      await editor.flush();
      const next = await run();
      if (next === false) return false;
      state.value = next;
      if (reload) {
        editor.close();
        await useSessionStore().reload(show);
      }
      void loadRecent();
      return true;
    } finally {
      busy.value = false;
    }
  }

  /** A channel's answer as a move result: undefined (refused) and null (cancelled) change nothing. */
  const moved = (answer: ProjectState | null | undefined): ProjectState | false => answer ?? false;
  const payload = (path?: string): { path?: string } => (path === undefined ? {} : { path });
  const create = (path?: string): Promise<boolean> => move(async () => moved(await errors.call('project:create', payload(path))), true);
  const open = (path?: string): Promise<boolean> => move(async () => moved(await errors.call('project:open', payload(path))), true);
  // The same document continues in the copy (same videos and ids): only the name and the folder change.
  const saveAs = (path?: string): Promise<boolean> => move(async () => moved(await errors.call('project:save-as', payload(path))), false);
  /**
   * A folder of per-frame label PNGs (palette, class-index or AVSS colours; `{k}.png` = sampled frame k) into the
   * shown video through masks:import; main checks every file before changing anything. The video is shown again
   * from main's document afterwards, so the imported revisions appear as they were saved.
   */
  async function importMasks(path?: string): Promise<boolean> {
    const videoId = useSessionStore().currentId;
    if (!videoId) return false;
    return move(async () => {
      const summary = await errors.call('masks:import', { videoId, ...payload(path) });
      if (!summary) return false;
      errors.note('masks:import', `Imported ${summary.frames} mask file(s) from ${summary.dir}: ${summary.changed} frame(s) changed, `
        + `${summary.objectsAdded} new object(s)${summary.classes.length ? ` (${summary.classes.join(', ')})` : ''}`, 'info');
      return state.value;
    }, true, videoId);
  }
  const close = (): Promise<boolean> => move(async () => ((await errors.call('project:close', {})) ? null : false), true);

  return { state, recent, busy, name, refresh, loadRecent, forget, create, open, saveAs, importMasks, close };
});
