/**
 * The action registry (Excalidraw's `actions/`): every command once, with its title, default keys, a `when`
 * condition and `run`. Toolbar, menus, the context menu, the `?` help panel and the keyboard all read it, so a
 * shortcut can never do something its button does not.
 *
 * Keys use tinykeys' syntax ("$mod+z", "Shift+?", "[") and are matched by tinykeys. Users may rebind them;
 * bindings are stored as overrides (id -> keys) in user settings. Two actions that share a chord in the same
 * scope are a conflict: `conflicts()` lists them and `rebind` refuses to create one.
 */
import { createKeybindingsHandler, parseKeybinding } from 'tinykeys';

export interface Action {
  id: string;
  title: string;
  /** Grouping for menus and the help panel. */
  group: string;
  defaultKeys: readonly string[];
  /** Actions in different scopes may share a chord (their `when` never both hold). Default 'global'. */
  scope?: string;
  /** May the action run now? (false: disabled button, key ignored). */
  when?: () => boolean;
  run: () => void;
}

export interface Conflict {
  chord: string;
  actions: string[];
}

/** A chord in one canonical spelling: modifiers sorted, key upper-cased ("Control+Shift+Z"). */
export function normalizeChord(keys: string): string {
  return parseKeybinding(keys)
    .map(([mods, key]) => [...new Set(mods)].sort().concat(String(key).toUpperCase()).join('+'))
    .join(' ');
}

/** Human spelling for tooltips and the help panel ("Ctrl+Z", "Shift+?"). */
export function displayChord(keys: string): string {
  const mac = typeof navigator === 'object' && /Mac|iPhone|iPad/.test(navigator.platform);
  return keys
    .replace(/\$mod/g, mac ? '⌘' : 'Ctrl')
    .replace(/Control/g, 'Ctrl')
    .replace(/\b([a-z])\b/g, (m) => m.toUpperCase())
    .replace(/ArrowLeft/g, '←').replace(/ArrowRight/g, '→').replace(/ArrowUp/g, '↑').replace(/ArrowDown/g, '↓');
}

/** True when the focused element needs the key itself (typing in a field). */
export function typingTarget(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target.closest('[contenteditable="true"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range'].includes((target as HTMLInputElement).type);
}

export class ActionRegistry {
  private readonly actions = new Map<string, Action>();
  private overrides: Record<string, string[]> = {};
  private readonly listeners = new Set<() => void>();

  register(...actions: Action[]): void {
    for (const action of actions) {
      if (this.actions.has(action.id)) throw new Error(`action ${action.id} is registered twice`);
      this.actions.set(action.id, action);
    }
    this.changed();
  }

  list(): Action[] {
    return [...this.actions.values()];
  }

  get(id: string): Action | undefined {
    return this.actions.get(id);
  }

  keys(id: string): readonly string[] {
    return this.overrides[id] ?? this.actions.get(id)?.defaultKeys ?? [];
  }

  enabled(id: string): boolean {
    const action = this.actions.get(id);
    return action !== undefined && (action.when?.() ?? true);
  }

  /** Runs an action when its condition holds; returns whether it ran. */
  run(id: string): boolean {
    const action = this.actions.get(id);
    if (!action || !(action.when?.() ?? true)) return false;
    action.run();
    return true;
  }

  /** Actions sharing a chord within a scope. */
  conflicts(): Conflict[] {
    const byChord = new Map<string, string[]>();
    for (const action of this.actions.values()) {
      for (const keys of this.keys(action.id)) {
        const chord = `${action.scope ?? 'global'}|${normalizeChord(keys)}`;
        byChord.set(chord, [...(byChord.get(chord) ?? []), action.id]);
      }
    }
    return [...byChord.entries()]
      .filter(([, ids]) => ids.length > 1)
      .map(([chord, ids]) => ({ chord: chord.split('|')[1]!, actions: ids }));
  }

  /** Binds `id` to `keys`; refused (returns the conflicts, nothing changed) when another action has a chord. */
  rebind(id: string, keys: readonly string[]): Conflict[] {
    const action = this.actions.get(id);
    if (!action) throw new Error(`no action ${id}`);
    const previous = this.overrides[id];
    this.overrides = { ...this.overrides, [id]: [...keys] };
    const mine = new Set(keys.map(normalizeChord));
    const found = this.conflicts().filter((c) => c.actions.includes(id) && mine.has(c.chord));
    if (found.length > 0) {
      const { [id]: _dropped, ...rest } = this.overrides;
      this.overrides = previous ? { ...rest, [id]: previous } : rest;
      return found;
    }
    this.changed();
    return [];
  }

  resetKeys(id?: string): void {
    if (id === undefined) this.overrides = {};
    else {
      const { [id]: _dropped, ...rest } = this.overrides;
      this.overrides = rest;
    }
    this.changed();
  }

  /** The user's overrides, for user settings. */
  saveOverrides(): string {
    return JSON.stringify(this.overrides);
  }

  /** Restores saved overrides; unknown actions, malformed entries and conflicting chords are skipped. */
  loadOverrides(json: string | null): void {
    this.overrides = {};
    let data: unknown = null;
    try {
      data = json ? JSON.parse(json) : null;
    } catch {
      data = null;
    }
    if (data && typeof data === 'object') {
      for (const [id, keys] of Object.entries(data as Record<string, unknown>)) {
        if (!this.actions.has(id) || !Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) continue;
        this.rebind(id, keys as string[]);
      }
    }
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  /**
   * A keydown listener for every bound chord (tinykeys). The first enabled action of a chord runs; keys typed
   * into a text field are left to the field.
   */
  keydownHandler(): (event: Event) => void {
    const chords = new Map<string, string[]>();
    for (const action of this.actions.values()) {
      for (const keys of this.keys(action.id)) chords.set(keys, [...(chords.get(keys) ?? []), action.id]);
    }
    const map: Record<string, (event: KeyboardEvent) => void> = {};
    for (const [keys, ids] of chords) {
      map[keys] = (event) => {
        if (event.defaultPrevented || typingTarget(event.target)) return;
        const id = ids.find((candidate) => this.enabled(candidate));
        if (id === undefined) return;
        event.preventDefault();
        this.run(id);
      };
    }
    return createKeybindingsHandler(map);
  }

  /** Listens on `target` and re-binds after every rebind; returns the unsubscribe. */
  bind(target: EventTarget): () => void {
    let handler = this.keydownHandler();
    const listener = (event: Event): void => handler(event);
    target.addEventListener('keydown', listener);
    const off = this.onChange(() => { handler = this.keydownHandler(); });
    return () => {
      off();
      target.removeEventListener('keydown', listener);
    };
  }
}
