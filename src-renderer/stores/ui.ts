/**
 * UI preferences that outlive a session (device choice, export split and folder, mask opacity), kept in
 * localStorage and validated on load so a stale or hand-edited value cannot break the app.
 */
import { defineStore } from 'pinia';
import { reactive, watch } from 'vue';
import type { DatasetSplit, DeviceChoice } from '../../src-main/shared/ipc-contract';

export const DEVICE_CHOICES: readonly DeviceChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];
export const SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];
const KEY = 'avs-ui-prefs';

export interface UiPrefs {
  device: DeviceChoice;
  split: DatasetSplit;
  /** Browser mode: the last path typed into the open field. */
  lastPath: string;
  /** Mask fill opacity, 0..1. */
  defaultOpacity: number;
  theme: 'dark' | 'light';
  /** Class of the next new object made by shortcut. */
  lastClass: number;
}

export const DEFAULT_PREFS: Readonly<UiPrefs> = {
  device: 'auto', split: 'train', lastPath: '', defaultOpacity: 0.5, theme: 'dark', lastClass: 17,
};

/** Keeps only well-typed known fields from stored JSON. */
export function parsePrefs(raw: string | null): UiPrefs {
  const prefs: UiPrefs = { ...DEFAULT_PREFS };
  let data: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object') data = parsed as Record<string, unknown>;
  } catch {
    return prefs;
  }
  if (DEVICE_CHOICES.includes(data['device'] as DeviceChoice)) prefs.device = data['device'] as DeviceChoice;
  if (SPLITS.includes(data['split'] as DatasetSplit)) prefs.split = data['split'] as DatasetSplit;
  if (typeof data['lastPath'] === 'string') prefs.lastPath = data['lastPath'];
  const opacity = data['defaultOpacity'];
  if (typeof opacity === 'number' && opacity >= 0 && opacity <= 1) prefs.defaultOpacity = opacity;
  if (data['theme'] === 'light' || data['theme'] === 'dark') prefs.theme = data['theme'];
  const lastClass = data['lastClass'];
  if (typeof lastClass === 'number' && Number.isInteger(lastClass) && lastClass >= 1 && lastClass <= 70) prefs.lastClass = lastClass;
  return prefs;
}

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined; // storage disabled (privacy settings): prefs just do not persist
  }
}

export const useUiStore = defineStore('ui', () => {
  const prefs = reactive<UiPrefs>(parsePrefs(storage()?.getItem(KEY) ?? null));
  watch(prefs, (value) => storage()?.setItem(KEY, JSON.stringify(value)), { deep: true });

  function reset(): void {
    Object.assign(prefs, DEFAULT_PREFS);
  }

  return { prefs, reset };
});
