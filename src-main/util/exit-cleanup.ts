/**
 * Last-resort cleanup when the process ends without unwinding (a forced exit after Ctrl+C, an uncaught error):
 * synchronous hooks run on `exit`, so child processes are killed and work folders removed whatever path the
 * process took out. Owners register on creation and unregister when they clean up the normal way.
 */
const hooks = new Set<() => void>();
let installed = false;

/** Runs `hook` (synchronous, must not throw) if the process exits while registered; returns the unregister. */
export function onExitSync(hook: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on('exit', () => {
      for (const h of [...hooks]) {
        try {
          h();
        } catch {
          // best effort: one failed hook must not stop the others
        }
      }
    });
  }
  hooks.add(hook);
  return () => void hooks.delete(hook);
}
