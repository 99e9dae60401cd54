/**
 * Path of a video dropped onto the window. Electron 32+ gives no `File.path`; the preload can expose
 * `webUtils.getPathForFile` as `pathForFile`. A page in a plain browser never learns a dropped file's path,
 * but a dragged path or file:// link (text) still works there.
 */
import type { FilePathBridge } from './api';

export type DropResult = { path: string } | { error: string };

export function fileUrlToPath(text: string): string | null {
  const line = text.split(/\r?\n/).find((l) => l.trim() && !l.startsWith('#'))?.trim();
  if (!line) return null;
  if (line.startsWith('file://')) {
    const url = new URL(line);
    const path = decodeURIComponent(url.pathname);
    // file:///C:/x -> C:/x on Windows
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  }
  if (line.startsWith('/') || /^[A-Za-z]:[\\/]/.test(line)) return line;
  return null;
}

export function droppedPath(data: DataTransfer | null, bridge: FilePathBridge | undefined): DropResult {
  if (!data) return { error: 'Nothing was dropped.' };
  const file = data.files.item(0);
  if (file && bridge?.pathForFile) {
    const path = bridge.pathForFile(file);
    if (path) return { path };
  }
  const fromText = fileUrlToPath(data.getData('text/uri-list') || data.getData('text/plain'));
  if (fromText) return { path: fromText };
  if (file) {
    return { error: `The browser does not reveal where "${file.name}" is stored: type its full path in the Video path field.` };
  }
  return { error: 'Drop a video file (or its path) to open it.' };
}
