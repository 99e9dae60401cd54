/**
 * Quitting waits for the app core's flush (unsaved edits written to disk) before the process ends: the first
 * `before-quit` is cancelled, the flush and dispose run, then the app quits for real. A flush that hangs must not
 * keep the app open for ever, so it is bounded; a failed flush is reported, never swallowed. No Electron import:
 * the handler is unit-tested with a recording event.
 */
export interface QuitSteps {
  flush(): Promise<void>;
  dispose(): Promise<void>;
  quit(): void;
  report(message: string): void;
}

export const FLUSH_TIMEOUT_MS = 15_000;

function bounded(work: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Returns the `before-quit` listener. */
export function quitAfterFlush(steps: QuitSteps, timeoutMs = FLUSH_TIMEOUT_MS): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'flushing' | 'done' = 'running';
  return (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'flushing') return;
    state = 'flushing';
    void (async () => {
      try {
        await bounded(steps.flush(), timeoutMs, 'saving the project');
      } catch (err) {
        steps.report(`could not save everything before quitting: ${(err as Error).message}`);
      }
      try {
        await bounded(steps.dispose(), timeoutMs, 'stopping the inference worker');
      } catch (err) {
        steps.report((err as Error).message);
      }
      state = 'done';
      steps.quit();
    })();
  };
}
