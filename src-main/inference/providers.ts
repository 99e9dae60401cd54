/**
 * Execution-provider choice. onnxruntime throws when a GPU provider cannot load instead of falling back, and a
 * provider can load and still fail on the first run, so a provider counts as working only once a session opens
 * AND a warm-up window runs. `auto` tries only the providers whose libraries and drivers were found on disk
 * (provider-checks.ts), best first; an explicit choice is tried even then (the check could miss a library the
 * linker finds). Otherwise CPU, with ONE short sentence (ProviderStatus.fallbackReason) and the per-provider
 * findings and fixes in ProviderStatus.details (`--verbose`, the UI's badge, `avs-annotator doctor`).
 */
import type { DeviceChoice, ProviderName, ProviderStatus } from '../shared/ipc-contract';
import { PROVIDER_LABEL, type ProviderCheck } from './provider-checks';

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
 * Providers this onnxruntime-node build can load: bundled backends, plus CUDA when its provider library was
 * downloaded at install time (`hasCudaLibrary`). CPU is always present.
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

/** The provider boundary: tests replace only this (no GPU can be reached on the build machines). */
export interface ProviderBackend<S> {
  /** A session on exactly this provider, or throws. */
  create(file: string, provider: ProviderName): Promise<S>;
  /** One forward pass of a window of zeros: a provider that loads but cannot run fails here. */
  warmUp(session: S): Promise<void>;
  release(session: S): Promise<void>;
}

export interface OpenedSession<S> {
  session: S;
  status: ProviderStatus;
}

/** A third-party error in one line: onnxruntime prefixes C++ source locations and assertion text. */
export function shortError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  let line = (text.split('\n')[0] ?? text).replace(/^\S+\.(cc|cpp|h):\d+\s+/, '');
  const afterAssert = /\bwas false\.\s*(.+)$/.exec(line);
  if (afterAssert) line = afterAssert[1]!;
  return line.trim().slice(0, 200);
}

/** Detail lines of a check: what was found, what is missing and its fix. */
export function checkDetails(check: ProviderCheck): string[] {
  const label = PROVIDER_LABEL[check.provider];
  return [
    ...check.found.map((f) => `${label}: found ${f}`),
    ...check.missing.map((m) => `${label}: ${m.problem}; fix: ${m.fix}`),
  ];
}

interface Failure {
  provider: ProviderName;
  reason: string;
}

function fallbackSentence(choice: DeviceChoice, failures: Failure[], platform: NodeJS.Platform): string {
  if (failures.length === 0) return `No GPU provider is offered on ${platform}. Running on CPU.`;
  if (choice !== 'auto') return `${PROVIDER_LABEL[failures[0]!.provider]} could not start: ${failures[0]!.reason}. Running on CPU; see GPU setup.`;
  const reasons = failures.map((f) => `${PROVIDER_LABEL[f.provider]}: ${f.reason}`).join('; ');
  return `No GPU provider could start (${reasons}). Running on CPU; see GPU setup.`;
}

/**
 * Opens a session for `choice`; `checks` holds one ProviderCheck per provider (missing ones count as not
 * ready). CPU failing is a real error (a broken model) and propagates.
 */
export async function openWithFallback<S>(
  file: string,
  choice: DeviceChoice,
  checks: readonly ProviderCheck[],
  platform: NodeJS.Platform,
  backend: ProviderBackend<S>,
): Promise<OpenedSession<S>> {
  const checkOf = (p: ProviderName): ProviderCheck | undefined => checks.find((c) => c.provider === p);
  const available: ProviderName[] = ['cpu', ...checks.filter((c) => c.ready && c.provider !== 'cpu').map((c) => c.provider)];
  const candidates: ProviderName[] = choice === 'auto' ? gpuProvidersFor(platform) : choice === 'cpu' ? [] : [choice];
  const failures: Failure[] = [];
  const details: string[] = [];
  for (const provider of candidates) {
    const check = checkOf(provider);
    if (check) details.push(...checkDetails(check));
    const firstMissing = check?.missing[0]?.problem ?? 'not found on this machine';
    if (choice === 'auto' && !check?.ready) {
      failures.push({ provider, reason: firstMissing });
      continue;
    }
    let session: S | undefined;
    try {
      session = await backend.create(file, provider);
      await backend.warmUp(session);
      return { session, status: { requested: choice, active: provider, available, details } };
    } catch (err) {
      if (session !== undefined) await backend.release(session).catch(() => {});
      details.push(`${PROVIDER_LABEL[provider]}: tried, failed: ${shortError(err)}`);
      failures.push({ provider, reason: check?.ready === false ? firstMissing : 'failed to start (see the details)' });
    }
  }
  const session = await backend.create(file, 'cpu');
  const status: ProviderStatus = { requested: choice, active: 'cpu', available, details };
  if (choice !== 'cpu') status.fallbackReason = fallbackSentence(choice, failures, platform);
  return { session, status };
}
