/**
 * The append-only journal: every committed change, in order, durable before the UI shows "saved".
 * Record: u32 LE payload length | u32 LE CRC-32 of the payload | payload (binary-message framing of
 * `{seq, ops}`: pixel patches stay binary). Segments journal/{n}.avsj; a compaction starts a new segment and
 * drops the ones the manifest and its backup no longer need.
 *
 * Group commit: appends queue in memory; one writer drains the whole queue with one write + one fdatasync,
 * so a burst of edits costs one disk flush, and an edit waits at most one flush behind the one in progress.
 * Reading stops at the first record whose length or CRC is wrong (a torn write from a crash: never
 * acknowledged as saved); with write access that tail is cut off so appends continue after good data.
 */
import { mkdir, open, readdir, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import * as v from 'valibot';
import type { RecoveryNotice } from '../shared/ipc-contract';
import { decodeBinaryMessage, encodeBinaryMessage } from '../shared/binary-message';
import { describeIssue, DocOpSchema, type DocOp } from '../shared/project-model';
import { JOURNAL_DIR } from './layout';

export interface JournalEntry {
  /** Project revision this entry makes (manifest.revision + 1, + 2, ...). */
  seq: number;
  ops: DocOp[];
}

const EntrySchema = v.strictObject({ seq: v.pipe(v.number(), v.integer(), v.minValue(1)), ops: v.array(DocOpSchema) });
const HEADER = 8;
const segmentName = (n: number): string => `${String(n).padStart(6, '0')}.avsj`;
const SEGMENT = /^(\d{6})\.avsj$/;

interface Segment { n: number; maxSeq: number }
interface Pending { bytes: Buffer; seq: number; done: () => void; fail: (err: Error) => void }

export function frameEntry(entry: JournalEntry): Buffer {
  const payload = encodeBinaryMessage(entry);
  const header = Buffer.alloc(HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload) >>> 0, 4);
  return Buffer.concat([header, payload]);
}

/** Parses one segment; `goodBytes` is where valid data ends (a torn or damaged tail starts there). */
export function parseSegment(bytes: Buffer): { entries: JournalEntry[]; goodBytes: number; problem: string | null } {
  const entries: JournalEntry[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + HEADER > bytes.length) return { entries, goodBytes: pos, problem: `torn record header at byte ${pos}` };
    const length = bytes.readUInt32LE(pos);
    if (pos + HEADER + length > bytes.length) return { entries, goodBytes: pos, problem: `torn record at byte ${pos}` };
    const payload = bytes.subarray(pos + HEADER, pos + HEADER + length);
    if ((crc32(payload) >>> 0) !== bytes.readUInt32LE(pos + 4)) return { entries, goodBytes: pos, problem: `bad checksum at byte ${pos}` };
    let decoded: unknown;
    try {
      decoded = decodeBinaryMessage(payload);
    } catch (err) {
      return { entries, goodBytes: pos, problem: `unreadable record at byte ${pos} (${(err as Error).message})` };
    }
    const parsed = v.safeParse(EntrySchema, decoded);
    if (!parsed.success) return { entries, goodBytes: pos, problem: `invalid record at byte ${pos} (${describeIssue(parsed.issues[0])})` };
    entries.push(parsed.output);
    pos += HEADER + length;
  }
  return { entries, goodBytes: pos, problem: null };
}

export class Journal {
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private durableSeq: number;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private handle: FileHandle | null,
    private readonly segments: Segment[],
    durableSeq: number,
    private readonly onDurable: (seq: number) => void,
  ) {
    this.durableSeq = durableSeq;
  }

  /**
   * Reads every segment (entries sorted by seq, duplicates dropped). With `writable`, cuts torn tails and opens
   * a fresh segment for appends; read-only instances never touch the files.
   */
  static async open(projectDir: string, opts: { writable: boolean; onDurable?: (seq: number) => void }): Promise<{ journal: Journal; entries: JournalEntry[]; notices: RecoveryNotice[] }> {
    const dir = join(projectDir, JOURNAL_DIR);
    if (opts.writable) await mkdir(dir, { recursive: true });
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => SEGMENT.test(n)).sort();
    const notices: RecoveryNotice[] = [];
    const segments: Segment[] = [];
    const bySeq = new Map<number, JournalEntry>();
    for (const name of names) {
      const { entries, goodBytes, problem } = parseSegment(await readFile(join(dir, name)));
      if (problem) {
        const dropped = opts.writable ? 'cut off' : 'ignored';
        notices.push({ file: `${JOURNAL_DIR}/${name}`, problem, action: `${dropped} what follows it (changes never reported as saved)` });
        if (opts.writable) await truncate(join(dir, name), goodBytes);
      }
      for (const entry of entries) bySeq.set(entry.seq, entry);
      segments.push({ n: Number(SEGMENT.exec(name)![1]), maxSeq: Math.max(0, ...entries.map((e) => e.seq)) });
    }
    const entries = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
    const maxSeq = entries.at(-1)?.seq ?? 0;
    const journal = new Journal(dir, null, segments, maxSeq, opts.onDurable ?? (() => {}));
    if (opts.writable) await journal.startSegment();
    return { journal, entries, notices };
  }

  /** Highest seq known to be on disk. */
  get durable(): number {
    return this.durableSeq;
  }

  /** Queues an entry; resolves once it is fsynced. */
  append(entry: JournalEntry): Promise<void> {
    if (this.closed || !this.handle) return Promise.reject(new Error('the journal is closed'));
    const bytes = frameEntry(entry);
    return new Promise((done, fail) => {
      this.queue.push({ bytes, seq: entry.seq, done, fail });
      this.kick();
    });
  }

  /** Resolves when everything appended so far is durable. */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) {
      this.kick();
      await this.writing;
    }
  }

  /** Starts a new segment for later appends (compaction); entries already queued go to the new one. */
  async startSegment(): Promise<void> {
    const n = (this.segments.at(-1)?.n ?? 0) + 1;
    const next = await open(join(this.dir, segmentName(n)), 'a');
    await syncDir(this.dir);
    const old = this.handle;
    this.handle = next;
    this.segments.push({ n, maxSeq: 0 });
    // An in-flight drain still holds the old handle; close it once that drain is done.
    if (old) void (this.writing ?? Promise.resolve()).then(() => old.close()).catch(() => undefined);
  }

  /** Deletes segments whose entries are all at or below `seq` (the oldest manifest kept includes them). */
  async dropThrough(seq: number): Promise<void> {
    const current = this.segments.at(-1);
    for (const segment of [...this.segments]) {
      if (segment === current || segment.maxSeq > seq) continue;
      await rm(join(this.dir, segmentName(segment.n)), { force: true });
      this.segments.splice(this.segments.indexOf(segment), 1);
    }
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.handle?.close();
    this.handle = null;
  }

  private kick(): void {
    if (this.writing || this.queue.length === 0) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    const batch = this.queue.splice(0);
    const handle = this.handle!;
    const segment = this.segments.at(-1)!;
    try {
      const bytes = Buffer.concat(batch.map((p) => p.bytes));
      for (let off = 0; off < bytes.length;) off += (await handle.write(bytes, off, bytes.length - off)).bytesWritten;
      await handle.datasync();
      const top = Math.max(...batch.map((p) => p.seq));
      segment.maxSeq = Math.max(segment.maxSeq, top);
      this.durableSeq = Math.max(this.durableSeq, top);
      for (const p of batch) p.done();
      this.onDurable(this.durableSeq);
    } catch (err) {
      for (const p of batch) p.fail(err as Error);
    }
  }
}

async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
