/** Native file dialogs behind the app core's Dialogs interface (browser mode has its own, path-based one). */
import { dialog, type BrowserWindow } from 'electron';
import type { Dialogs } from '../ipc/app-core';

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
      title: purpose === 'open' ? 'Open project folder' : 'New project: choose an empty folder', properties: ['openDirectory', 'createDirectory'],
    }),
    pickMaskDir: () => pick({ title: 'Import masks: folder of per-frame PNGs ({k}.png)', properties: ['openDirectory'] }),
  };
}
