/**
 * Main -> renderer events. Services emit here; each bridge (Electron webContents, browser-mode WebSocket)
 * subscribes once and forwards, so services never know which UI is attached.
 */
import type { EventChannel, EventMap } from '../shared/ipc-contract';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventMap[E]) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventChannel>(channel: E, payload: EventMap[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(channel, payload);
      } catch {
        // A broken bridge (closed socket, destroyed window) must not stop the others or the emitter.
      }
    }
  }

  /** Returns the unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  log(level: EventMap['log']['level'], message: string): void {
    this.emit('log', { level, message });
  }
}
