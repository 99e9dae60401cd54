/**
 * The project commands in the action registry (see actions.ts), so the menu, the `?` panel and the keyboard
 * agree. The menu component runs them (it knows whether to ask for a folder); this file only names them.
 * Chords: Ctrl+O and Ctrl+Shift+S are free in the editor; Ctrl+N / Ctrl+W belong to the browser (a new window,
 * closing the tab) and cannot be taken by a page, so New and Close have no default chord.
 */
import type { Action } from './actions';

export type ProjectCommand = 'new' | 'open' | 'save-as' | 'import-masks' | 'close';

export interface ProjectTargets {
  run(command: ProjectCommand): void;
  hasProject(): boolean;
  /** A video is shown (mask import goes into it). */
  hasVideo(): boolean;
}

export function projectActions(t: ProjectTargets): Action[] {
  return [
    { id: 'project.new', title: 'New project…', group: 'Project', defaultKeys: [], run: () => t.run('new') },
    { id: 'project.open', title: 'Open project…', group: 'Project', defaultKeys: ['$mod+o'], run: () => t.run('open') },
    { id: 'project.saveAs', title: 'Save project as…', group: 'Project', defaultKeys: ['$mod+Shift+s'], when: t.hasProject, run: () => t.run('save-as') },
    { id: 'project.importMasks', title: 'Import masks into this video…', group: 'Project', defaultKeys: [], when: t.hasVideo, run: () => t.run('import-masks') },
    { id: 'project.close', title: 'Close project', group: 'Project', defaultKeys: [], when: t.hasProject, run: () => t.run('close') },
  ];
}
