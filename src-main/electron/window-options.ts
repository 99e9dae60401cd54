/**
 * The one window's options (Electron security checklist), as data so a test pins every setting: context
 * isolation, sandbox, no Node in the renderer or its workers, web security, no insecure content, no
 * experimental features or Blink flags, no webviews, and DevTools only in development builds.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export function mainWindowOptions(preloadFile: string, packaged: boolean): BrowserWindowConstructorOptions {
  return {
    width: 1400,
    height: 900,
    show: false,
    title: 'AVS Annotator',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: !packaged,
    },
  };
}
