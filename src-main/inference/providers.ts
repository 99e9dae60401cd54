/**
 * Execution-provider choice. onnxruntime throws when a GPU provider cannot load instead of falling back, so we
 * try each candidate ourselves and fall back to CPU *loudly*: the reason is logged and travels in
 * ProviderStatus.fallbackReason (the UI shows it as a warning badge, the CLI prints it).
 */
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';

export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

export function isDeviceChoice(value: unknown): value is DeviceChoice {
  return typeof value === 'string' && (DEVICE_CHOICES as readonly string[]).includes(value);
}

/** GPU providers `auto` tries on each OS, best first (CUDA is Linux x64 only; Windows bundles DirectML). */
export function gpuProvidersFor(platform: NodeJS.Platform): ProviderName[] {
  if (platform === 'linux') return ['cuda', 'webgpu'];
  if (platform === 'win32') return ['dml'];
  if (platform === 'darwin') return ['coreml'];
  return [];
}

/** onnxruntime-node's own backend list (`listSupportedBackends()`), kept as data so it can be tested. */
export interface BackendInfo {
  name: string;
  bundled: boolean;
}

/**
 * Providers that can be tried here: bundled backends, plus CUDA when its provider library was downloaded at
 * install time (`hasCudaLibrary`). CPU is always present.
 */
export function availableProviders(backends: readonly BackendInfo[], hasCudaLibrary: boolean): ProviderName[] {
  const known: ProviderName[] = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'];
  const out = new Set<ProviderName>(['cpu']);
  for (const b of backends) {
    const name = b.name as ProviderName;
    if (!known.includes(name)) continue;
    if (b.bundled || (name === 'cuda' && hasCudaLibrary)) out.add(name);
  }
  return known.filter((p) => out.has(p));
}

/** The provider boundary: creates a session on exactly one provider or throws. Tests replace only this. */
export type SessionFactory<S> = (file: string, provider: ProviderName) => Promise<S>;

export interface OpenedSession<S> {
  session: S;
  status: ProviderStatus;
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // onnxruntime messages carry a C++ source location and assertion text; the last clause is what a user can act on.
  let line = (text.split('\n')[0] ?? text).replace(/^\S+\.(cc|cpp|h):\d+\s+/, '');
  const afterAssert = /\bwas false\.\s*(.+)$/.exec(line);
  if (afterAssert) line = afterAssert[1]!;
  return line.trim().slice(0, 200);
}

/**
 * Opens a session for `choice`: `auto` tries the OS's GPU providers in order, an explicit GPU provider is tried
 * alone; either falls back to CPU with the collected reasons. CPU failing is a real error and propagates.
 */
export async function openWithFallback<S>(
  file: string,
  choice: DeviceChoice,
  available: readonly ProviderName[],
  platform: NodeJS.Platform,
  factory: SessionFactory<S>,
  warn: (message: string) => void,
): Promise<OpenedSession<S>> {
  const candidates: ProviderName[] = choice === 'auto' ? gpuProvidersFor(platform) : choice === 'cpu' ? [] : [choice];
  const reasons: string[] = [];
  for (const provider of candidates) {
    if (!available.includes(provider)) {
      reasons.push(`${provider}: not available in this onnxruntime-node build on ${platform}`);
      continue;
    }
    try {
      const session = await factory(file, provider);
      return { session, status: { requested: choice, active: provider, available: [...available] } };
    } catch (err) {
      reasons.push(`${provider}: ${message(err)}`);
    }
  }
  const session = await factory(file, 'cpu');
  const status: ProviderStatus = { requested: choice, active: 'cpu', available: [...available] };
  if (choice !== 'cpu') {
    status.fallbackReason = choice === 'auto' && candidates.length === 0
      ? `no GPU provider is supported on ${platform}`
      : `no GPU provider could start (${reasons.join('; ')})`;
    warn(`inference falls back to CPU: ${status.fallbackReason}`);
  }
  return { session, status };
}
