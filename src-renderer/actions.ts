/**
 * Commands with their shortcuts, in one registry (Excalidraw's `actions/`): the key handler, buttons and a
 * later shortcut editor all read this list, so a shortcut can never do something its button does not.
 */
export interface Action {
  id: string;
  label: string;
  /** `KeyboardEvent.key` values (plus modifiers later, when the editor needs them). */
  keys: readonly string[];
  run(): void;
}

export interface ActionTargets {
  step(delta: number): void;
  togglePlay(): void;
}

export function createActions(t: ActionTargets): Action[] {
  return [
    { id: 'frame.prev', label: 'Previous frame', keys: ['ArrowLeft'], run: () => t.step(-1) },
    { id: 'frame.next', label: 'Next frame', keys: ['ArrowRight'], run: () => t.step(1) },
    { id: 'playback.toggle', label: 'Play / pause', keys: [' '], run: () => t.togglePlay() },
  ];
}

/**
 * True when the focused control needs this key itself: typing in fields, arrows on sliders and selects,
 * space on checkboxes. Buttons do not: space plays even after a thumbnail was clicked (and keeps focus).
 */
function ownsKey(target: EventTarget | null, key: string): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  if (target.closest('[contenteditable="true"]')) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  if (type === 'checkbox' || type === 'radio') return key === ' ';
  return !['button', 'submit', 'reset'].includes(type);
}

/** Runs the action bound to a key press; returns it (or null). */
export function handleKey(event: KeyboardEvent, actions: readonly Action[]): Action | null {
  if (event.ctrlKey || event.metaKey || event.altKey || ownsKey(event.target, event.key)) return null;
  const action = actions.find((a) => a.keys.includes(event.key)) ?? null;
  if (action) {
    event.preventDefault(); // space would otherwise scroll the page
    action.run();
  }
  return action;
}

/** A focused button fires its click on space's keyup: cancel that when keydown already ran an action. */
export function handleKeyUp(event: KeyboardEvent, actions: readonly Action[]): void {
  if (event.ctrlKey || event.metaKey || event.altKey || ownsKey(event.target, event.key)) return;
  if (actions.some((a) => a.keys.includes(event.key))) event.preventDefault();
}
