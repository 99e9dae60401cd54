/**
 * The inference worker as an Electron utility process. The packaged app has the RunAsNode fuse off, which
 * stops child_process.fork (it re-runs the Electron binary as Node), so Electron starts the same worker script
 * with utilityProcess.fork instead: same message protocol (structured clone, tensors copied), same stderr
 * capture. The worker script answers on process.parentPort there (inference-worker.ts).
 */
import { utilityProcess } from 'electron';
import { forwardLines, type ChannelFactory } from '../inference/worker-channel';

export const utilityChannel: ChannelFactory = (script, events) => {
  const child = utilityProcess.fork(script, [], { serviceName: 'AVS Annotator inference', stdio: ['ignore', 'inherit', 'pipe'] });
  forwardLines(child.stderr, events.onStderr);
  let exited = false;
  child.on('message', (msg) => events.onMessage(msg));
  child.on('exit', (code) => {
    exited = true;
    events.onExit(new Error(`inference process exited (${code})`));
  });
  return {
    post: (msg) => child.postMessage(msg),
    // A utility process never keeps the app alive on its own; the app's lifetime is the window's.
    ref: () => {},
    unref: () => {},
    terminate: async () => {
      if (exited) return;
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await done;
    },
  };
};
