/** Checks and progress output shared by the CLI commands. */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, statfs } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { diskFullMessage } from '../dataset/dataset-transaction';
import { describeFsError } from '../util/fs-errors';
import type { EventListener } from '../ipc/event-bus';
import type { EventMap } from '../shared/ipc-contract';
import { UsageError, type CliIo, PROG } from './cli-io';

/**
 * The output folder must be writable, or creatable under a writable folder, and the disk must have room: checked
 * before any work starts so a typo in --out (or a full disk, or a virtual file system such as /proc) fails in a
 * second, not after minutes of pre-labelling. Checked for real: a hidden probe entry is created and removed
 * (access() says yes as root on /proc and on some network mounts). Nothing is left behind.
 */
export async function checkOutDir(outDir: string, estimateBytes?: number): Promise<void> {
  let probe = outDir;
  let info;
  for (;;) {
    try {
      info = await stat(probe);
      break;
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
  }
  if (!info.isDirectory()) {
    throw new UsageError(probe === outDir ? 'exists and is not a folder' : `cannot be created: ${probe} is a file`, outDir);
  }
  // A real write, where the dataset (or its first missing folder) will be made.
  const test = join(probe, `.avs-write-test-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(test);
    if (!(await stat(test).then((s) => s.isDirectory(), () => false))) throw Object.assign(new Error('vanished'), { code: 'ENOENT' });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = probe === outDir ? 'is not writable' : `cannot be created in ${probe}`;
    const why = code === 'ENOENT' ? 'virtual or vanishing file system' : describeFsError(err, probe).slice(probe.length + 2);
    throw new UsageError(`${where} (${why})`, outDir);
  } finally {
    await rm(test, { recursive: true, force: true }).catch(() => undefined);
  }
  if (estimateBytes !== undefined) {
    const fsInfo = await statfs(probe).catch(() => undefined);
    if (fsInfo && fsInfo.bavail * fsInfo.bsize < estimateBytes) throw new UsageError(await diskFullMessage(outDir, estimateBytes));
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
