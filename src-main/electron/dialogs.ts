/** Native file dialogs behind the app core's Dialogs interface (browser mode has its own, path-based one). */
import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../ipc/app-core';
import type { ProjectDirPurpose } from '../ipc/handlers/context';

const PROJECT_DIALOG_TITLES: Record<ProjectDirPurpose, string> = {
  open: 'Open project folder', create: 'New project: choose an empty folder', 'save-as': 'Save project as: choose a new or empty folder',
};
const VIDEO_EXTENSIONS = ['mp4', 'mov', 'mkv', 'webm', 'avi', 'm4v', 'mpg', 'mpeg', 'flv', 'wmv', 'ts'];

export function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  const pick = async (options: Electron.OpenDialogOptions): Promise<string | null> => {
    const win = getWindow();
    const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    pickVideo: () => pick({ title: 'Open video', properties: ['openFile'], filters: [{ name: 'Videos', extensions: VIDEO_EXTENSIONS }, { name: 'All files', extensions: ['*'] }] }),
    pickModel: () => pick({ title: 'Open ONNX model', properties: ['openFile'], filters: [{ name: 'ONNX models', extensions: ['onnx'] }] }),
    pickOutDir: () => pick({ title: 'Export AVSS dataset to folder', properties: ['openDirectory', 'createDirectory'] }),
    pickProjectDir: (purpose) => pick({
      title: PROJECT_DIALOG_TITLES[purpose], properties: ['openDirectory', 'createDirectory'],
    }),
    pickMaskDir: () => pick({ title: 'Import masks: folder of per-frame PNGs ({k}.png)', properties: ['openDirectory'] }),
  };
}
