/**
 * Every ApiError reaches the user: actions call main through `call()`, which reports failures here, and the
 * error banner lists them until dismissed (no silent failures, e.g. a silent CPU fallback or a failed export).
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ApiError, RequestChannel, RequestMap } from '../../src-main/shared/ipc-contract';
import { useApi } from '../api';

export type Severity = 'error' | 'warn' | 'info';

export interface BannerEntry {
  id: number;
  severity: Severity;
  /** Where it came from (a channel such as `export:avss`, or an event). */
  source: string;
  code: ApiError['code'] | 'log';
  message: string;
}

export const useErrorStore = defineStore('errors', () => {
  const entries = ref<BannerEntry[]>([]);
  let nextId = 1;

  function push(entry: Omit<BannerEntry, 'id'>): void {
    // A repeat of the newest message is not news: keep the banner readable during retries.
    const last = entries.value.at(-1);
    if (last && last.message === entry.message && last.source === entry.source) return;
    entries.value.push({ id: nextId++, ...entry });
  }

  function report(source: string, error: ApiError, severity: Severity = 'error'): void {
    push({ severity, source, code: error.code, message: error.message });
  }

  /** Log lines from main (`log` event) worth showing: warnings and errors. */
  function note(source: string, message: string, severity: Severity): void {
    push({ severity, source, code: 'log', message });
  }

  function dismiss(id: number): void {
    entries.value = entries.value.filter((e) => e.id !== id);
  }

  function clear(): void {
    entries.value = [];
  }

  /** Invokes a channel; on failure reports the error and resolves to `undefined`. */
  async function call<C extends RequestChannel>(
    channel: C,
    payload: RequestMap[C]['req'],
  ): Promise<RequestMap[C]['res'] | undefined> {
    const result = await useApi().invoke(channel, payload);
    if (result.ok) return result.value;
    report(channel, result.error, result.error.code === 'cancelled' ? 'info' : 'error');
    return undefined;
  }

  return { entries, report, note, dismiss, clear, call };
});
