/** Checks and progress output shared by the CLI commands. */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { EventListener } from '../ipc/event-bus';
import type { EventMap } from '../shared/ipc-contract';
import { UsageError, type CliIo, PROG } from './cli-io';

/**
 * The output folder must be writable, or creatable under a writable folder: checked before any work starts so
 * a typo in --out fails in a second, not after minutes of pre-labelling.
 */
export async function checkOutDir(outDir: string): Promise<void> {
  let probe = outDir;
  for (;;) {
    let info;
    try {
      info = await stat(probe);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        const parent = dirname(probe);
        if (parent === probe) throw new UsageError('cannot be created', outDir);
        probe = parent;
        continue;
      }
      // ENOTDIR: some ancestor is a file.
      throw new UsageError(code === 'ENOTDIR' ? 'cannot be created: a part of the path is a file' : `cannot be used (${code})`, outDir);
    }
    if (!info.isDirectory()) {
      throw new UsageError(probe === outDir ? 'exists and is not a folder' : `cannot be created: ${probe} is a file`, outDir);
    }
    try {
      await access(probe, constants.W_OK);
    } catch {
      throw new UsageError(probe === outDir ? 'is not writable' : `cannot be created: ${probe} is not writable`, outDir);
    }
    return;
  }
}

const STAGE_LABEL: Record<EventMap['prelabel:progress']['stage'], string> = {
  decode: 'decoding', features: 'audio features', inference: 'inference', masks: 'masks',
};

/**
 * Progress on stderr: one redrawn line on a terminal, otherwise one line per finished window (logs stay
 * readable in CI). Warnings (e.g. the CPU fallback) always get their own line, and the provider line is printed
 * once per change (every video reuses the session, so it would repeat otherwise). `verbose` adds the provider
 * details (what was found, tried and how to fix it) under it.
 */
export function progressPrinter(io: CliIo, nameOf: (videoId: string) => string, options: { verbose?: boolean } = {}): EventListener {
  let open = false;
  let lastProvider = '';
  const line = (text: string): void => {
    io.stderr(`${open ? '\n' : ''}${PROG}: ${text}\n`);
    open = false;
  };
  return (channel, payload) => {
    if (channel === 'prelabel:progress') {
      const p = payload as EventMap['prelabel:progress'];
      const text = `${PROG}: ${nameOf(p.videoId)}: ${STAGE_LABEL[p.stage]} ${p.done}/${p.total} s`;
      if (io.isTty) {
        io.stderr(`\r\x1b[2K${text}`);
        open = true;
      } else if (p.stage === 'masks') {
        io.stderr(`${text}\n`);
      }
    } else if (channel === 'log') {
      const log = payload as EventMap['log'];
      line(`${log.level}: ${log.message}`);
    } else if (channel === 'provider:changed') {
      const status = payload as EventMap['provider:changed'];
      const key = JSON.stringify(status);
      if (key === lastProvider) return;
      lastProvider = key;
      line(providerLine(status));
      if (options.verbose) for (const detail of status.details ?? []) line(`  ${detail}`);
    } else if (channel === 'prelabel:done' && open) {
      io.stderr('\n');
      open = false;
    }
  };
}

/** The fallback sentence already says "Running on CPU"; a working provider gets a short note. */
export function providerLine(status: EventMap['provider:changed']): string {
  return status.fallbackReason ? `warn: ${status.fallbackReason}` : `inference on ${status.active}`;
}
