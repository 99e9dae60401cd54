/**
 * A computed that keeps its previous value when the new one is equal (compared as JSON): values derived from a
 * counter that changes on every editor event (the store's `version`, bumped by each frame switch) then wake
 * their component only when what it shows changed. Meant for small plain values (titles, keys, flags).
 */
import { computed, type ComputedRef } from 'vue';

export function stableComputed<T>(get: () => T): ComputedRef<T> {
  return computed((previous?: T) => {
    const next = get();
    return previous !== undefined && JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
  });
}
