/**
 * An open project: the document in memory (manifest + the rasters in use), made durable by the journal at once
 * (group commit, well within 1 s) and compacted in the background into project.json + mask files.
 *
 * Compaction order (crash-safe at every step): start a new journal segment -> snapshot the manifest and copy
 * every dirty raster at revision S -> make the journal durable through S -> write each mask atomically -> keep
 * the old project.json as project.json.bak, write the new one atomically -> drop journal segments the backup no
 * longer needs. A crash anywhere leaves a manifest plus the journal after it; replaying a pixel patch on a mask
 * file that already has it is harmless (a patch sets absolute ids), so mask files written ahead of their
 * manifest never break the replay.
 */
import { mkdir, rename } from 'node:fs/promises';
import type { EditResult, MissingVideo, ProjectNotice, ProjectState, RecoveryNotice, SaveState } from '../shared/ipc-contract';
import { emptyRaster, type DocOp, type FrameState, type ObjectRaster, type ProjectManifest, type ProjectObject, type VideoDoc } from '../shared/project-model';
import { AppError } from '../pipeline/app-error';
import { atomicWriteFile } from '../util/atomic-write';
import { applyBatch, findVideo, rastersNeeded } from './document';
import type { Journal } from './journal';
import { maskDir, maskName, maskPath } from './layout';
import type { ProjectLock } from './lock';
import { serializeManifest, writeManifest } from './manifest-file';
import { encodeRaster, readRasterFile } from './raster-file';

/**
 * Memory for clean cached rasters (a 1080p raster is 4 MB: 64 MB keeps 16 of them, 360p keeps 140), least
 * recently used evicted first; dirty ones are pinned until a compaction has written them. A byte budget, not a
 * count, so the cache costs the same for any video size (48 rasters were 200 MB at 1080p).
 */
const CLEAN_RASTER_BYTES = 64 * 1024 * 1024;
/** However large the frames, the editor's frame and its neighbours stay cached. */
const CLEAN_RASTERS_MIN = 3;
/** Compaction runs this long after the last change, and at least this often while changes keep coming. */
const COMPACT_IDLE_MS = 1500;
const COMPACT_MAX_WAIT_MS = 10_000;
const SAVE_RETRY_MS = 3000;

export interface ProjectListener {
  saved(revision: number, state: SaveState): void;
  notice(notice: ProjectNotice): void;
}

interface CachedRaster {
  raster: ObjectRaster;
  /** Revision of the latest change not yet in a mask file; 0 = clean. */
  dirtySeq: number;
}

export interface FrameWrite {
  index: number;
  timeSec: number;
  raster: ObjectRaster;
  source: FrameState['source'];
}

export interface FramesBuild {
  frames: FrameWrite[];
  /** The video's whole object list after the write. */
  objects: ProjectObject[];
  nextObjectId: number;
}

export interface ProjectInit {
  dir: string;
  manifest: ProjectManifest;
  /** Text of the project.json on disk when it is good (it becomes the backup on the next save), else null. */
  manifestText: string | null;
  journal: Journal | null;
  lock: ProjectLock | null;
  readOnly: ProjectState['readOnly'];
  untitled: boolean;
  listener: ProjectListener;
}

export class Project {
  readonly dir: string;
  readonly untitled: boolean;
  readonly readOnly: ProjectState['readOnly'];
  recovered: RecoveryNotice[] = [];
  missingVideos: MissingVideo[] = [];
  private readonly manifest: ProjectManifest;
  private manifestText: string | null;
  private readonly journal: Journal | null;
  private readonly lock: ProjectLock | null;
  private readonly listener: ProjectListener;
  private readonly rasters = new Map<string, CachedRaster>();
  private savedRevision: number;
  private manifestDirty = false;
  private save: SaveState = 'saved';
  private queue: Promise<unknown> = Promise.resolve();
  private compacting: Promise<void> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private firstUnsavedAt = 0;
  private closed = false;
  private failing = false;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(init: ProjectInit) {
    this.dir = init.dir;
    this.untitled = init.untitled;
    this.manifest = init.manifest;
    this.manifestText = init.manifestText;
    this.journal = init.journal;
    this.lock = init.lock;
    this.readOnly = init.readOnly;
    this.listener = init.listener;
    this.savedRevision = init.manifest.revision;
  }

  get revision(): number {
    return this.manifest.revision;
  }

  get saveState(): SaveState {
    return this.save;
  }

  get name(): string {
    return this.manifest.name;
  }

  state(): ProjectState {
    return {
      dir: this.dir, untitled: this.untitled, manifest: structuredClone(this.manifest), revision: this.revision,
      save: this.save, readOnly: this.readOnly, recovered: [...this.recovered], missingVideos: [...this.missingVideos],
    };
  }

  videos(): readonly VideoDoc[] {
    return this.manifest.videos;
  }

  video(videoId: string): VideoDoc {
    return findVideo(this.manifest, videoId);
  }

  /** A copy of one frame's raster (the cached one stays private to the project). */
  raster(videoId: string, frame: number): Promise<{ raster: ObjectRaster; revision: number }> {
    return this.serial(async () => {
      const video = this.video(videoId);
      const state = video.frames[frame];
      if (!state) throw new AppError('bad-input', `frame ${frame} does not exist (the video has ${video.frames.length} sampled frames)`);
      const { raster } = await this.load(video, frame);
      return { raster: { width: raster.width, height: raster.height, data: raster.data.slice() }, revision: state.revision };
    });
  }

  /** Validates and applies a batch (all or none), journals it, and returns at once; durability follows within ms. */
  commit(ops: readonly DocOp[]): Promise<EditResult> {
    return this.serial(() => this.commitNow(ops));
  }

  /**
   * Writes revision 0 of frames (a pre-label): mask files first (each atomic and durable), then the journal
   * entry that makes the manifest point at them. Frames an annotator already edited are never passed here.
   */
  writeFrames(videoId: string, build: (video: VideoDoc) => FramesBuild | null): Promise<EditResult | null> {
    return this.serial(async () => {
      this.assertWritable();
      const video = this.video(videoId);
      // Built inside the queue: a concurrent edit (an object added meanwhile) is seen, never overwritten.
      const built = build(video);
      if (!built) return null;
      const { frames, objects, nextObjectId } = built;
      await this.compacting;
      await mkdir(maskDir(this.dir, videoId), { recursive: true });
      const written = [];
      for (const frame of frames) {
        const bytes = await encodeRaster(frame.raster);
        await atomicWriteFile(maskPath(this.dir, videoId, frame.index), bytes);
        // A cached copy is replaced; others are not cached: a long pre-label would otherwise push out the
        // rasters the editor is using, for frames nobody may open (they are read from their files on use).
        const key = `${videoId}/${frame.index}`;
        if (this.rasters.has(key)) this.remember(key, { raster: frame.raster, dirtySeq: 0 });
        written.push({ index: frame.index, timeSec: frame.timeSec, source: frame.source, maskBytes: bytes.length });
      }
      return this.commitNow([{ op: 'frames:write', videoId: video.id, frames: written, objects, nextObjectId }]);
    });
  }

  /** Replays journal entries at open (no re-journalling); stops at the first that no longer applies. */
  async replay(entries: readonly { seq: number; ops: DocOp[] }[]): Promise<{ applied: number; problem: string | null }> {
    let applied = 0;
    for (const entry of entries) {
      if (entry.seq <= this.manifest.revision) continue;
      // A gap (an entry whose write failed) ends the replay: later entries may depend on the missing one.
      if (entry.seq !== this.manifest.revision + 1) return { applied, problem: `entry ${this.manifest.revision + 1} is missing (next found: ${entry.seq})` };
      try {
        await this.loadFor(entry.ops);
        this.applyAt(entry.ops, entry.seq);
      } catch (err) {
        return { applied, problem: `entry ${entry.seq}: ${(err as Error).message}` };
      }
      applied++;
    }
    return { applied, problem: null };
  }

  /** Makes everything committed durable now: journal flushed, then compacted into manifest + masks. */
  async flush(): Promise<void> {
    if (this.readOnly) return;
    await this.journal?.flush();
    await this.compact();
  }

  /**
   * Runs `run` with the project quiet and its folder complete (save as copies it meanwhile): edits queued before
   * it are applied, later ones wait, and everything is journalled and compacted first, so the folder holds the
   * whole document and no background save writes into it while `run` reads it.
   */
  exclusive<T>(run: () => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.assertOpen();
      if (!this.readOnly) {
        await this.journal?.flush();
        // A compaction that began before the last edits leaves them to the next one: go until none is left.
        do await this.compact(); while (this.revision !== this.savedRevision || this.manifestDirty);
      }
      return run();
    });
  }

  /** Marks the manifest for the next compaction (a repair at open changed it without a journal entry). */
  markDirty(): void {
    this.manifestDirty = true;
    this.scheduleCompaction();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue.catch(() => undefined);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    try {
      await this.flush();
    } finally {
      this.closed = true;
      await this.journal?.close();
      await this.lock?.release();
    }
  }

  private async commitNow(ops: readonly DocOp[]): Promise<EditResult> {
    this.assertWritable();
    await this.loadFor(ops);
    const touched = this.applyAt(ops, this.revision + 1);
    const seq = this.revision;
    this.setSave('saving');
    this.journal!.append({ seq, ops: [...ops] }).then(
      () => {
        if (this.journal!.durable >= this.revision) this.setSave('saved');
        this.scheduleCompaction();
      },
      (err: Error) => this.saveFailed(err),
    );
    const frames = [...touched].flatMap(([videoId, list]) => [...new Set(list)].map((frame) => ({
      videoId, frame, revision: this.video(videoId).frames[frame]!.revision,
    })));
    return { revision: seq, save: this.save, frames };
  }

  private applyAt(ops: readonly DocOp[], seq: number): Map<string, number[]> {
    const touched = applyBatch(this.manifest, ops, {
      raster: (videoId, frame) => this.rasters.get(`${videoId}/${frame}`)!.raster,
      changed: (videoId, frame) => {
        this.rasters.get(`${videoId}/${frame}`)!.dirtySeq = seq;
      },
    });
    this.manifest.revision = seq;
    return touched;
  }

  private async loadFor(ops: readonly DocOp[]): Promise<void> {
    for (const op of ops) {
      for (const need of rastersNeeded(op)) {
        const video = this.video(need.videoId);
        if (video.frames[need.frame]) await this.load(video, need.frame);
      }
    }
  }

  /** The cached raster of a frame, read from its mask file on first use; a damaged file is reported, not fatal. */
  private async load(video: VideoDoc, frame: number): Promise<CachedRaster> {
    const key = `${video.id}/${frame}`;
    const cached = this.rasters.get(key);
    if (cached) {
      this.rasters.delete(key);
      this.rasters.set(key, cached);
      return cached;
    }
    const state = video.frames[frame]!;
    let raster: ObjectRaster | null = null;
    if (state.maskBytes !== undefined) {
      try {
        raster = await readRasterFile(maskPath(this.dir, video.id, frame), video.width, video.height);
        clearUnknownIds(raster, video.objects);
      } catch (err) {
        await this.damagedMask(video, state, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : (err as Error).message);
      }
    }
    raster ??= emptyRaster(video.width, video.height);
    const entry = { raster, dirtySeq: 0 };
    this.remember(key, entry);
    return entry;
  }

  private async damagedMask(video: VideoDoc, state: FrameState, problem: string): Promise<void> {
    const file = maskName(video.id, state.index);
    let action = `frame ${state.index} of ${video.file.path} starts empty and unreviewed`;
    if (!this.readOnly) {
      const kept = await rename(maskPath(this.dir, video.id, state.index), `${maskPath(this.dir, video.id, state.index)}.damaged`).then(() => true, () => false);
      if (kept) action += `; the damaged file is kept as ${file}.damaged`;
      delete state.maskBytes;
      state.review = 'unreviewed';
      state.source = { kind: 'none' };
      this.markDirty();
    }
    const notice = { file, problem, action };
    this.recovered.push(notice);
    this.listener.notice({ kind: 'recovered', level: 'warn', message: `${file} ${problem}: ${action}`, videoId: video.id });
  }

  private remember(key: string, entry: CachedRaster): void {
    this.rasters.delete(key);
    this.rasters.set(key, entry);
    // Map order is use order (load() re-inserts on a hit): walk from the most recent, keep within the budget.
    let clean = 0;
    let bytes = 0;
    for (const [k, e] of [...this.rasters].reverse()) {
      if (e.dirtySeq !== 0) continue;
      clean++;
      bytes += e.raster.data.byteLength;
      if (clean > CLEAN_RASTERS_MIN && bytes > CLEAN_RASTER_BYTES) this.rasters.delete(k);
    }
  }

  private scheduleCompaction(): void {
    if (this.readOnly || this.closed) return;
    const now = Date.now();
    if (this.firstUnsavedAt === 0) this.firstUnsavedAt = now;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const wait = Math.max(0, Math.min(COMPACT_IDLE_MS, this.firstUnsavedAt + COMPACT_MAX_WAIT_MS - now));
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      this.compact().catch((err: Error) => this.saveFailed(err));
    }, wait);
    this.idleTimer.unref();
  }

  private compact(): Promise<void> {
    if (this.readOnly || !this.journal) return Promise.resolve();
    this.compacting ??= this.compactOnce().finally(() => {
      this.compacting = null;
    });
    return this.compacting;
  }

  private async compactOnce(): Promise<void> {
    const journal = this.journal!;
    if (this.revision === this.savedRevision && !this.manifestDirty) return;
    this.firstUnsavedAt = 0;
    await journal.startSegment();
    // Snapshot at revision S, synchronously: manifest copy + copies of every dirty raster.
    const target = this.revision;
    const snapshot = structuredClone(this.manifest);
    const dirty = [...this.rasters].filter(([, e]) => e.dirtySeq !== 0).map(([key, e]) => ({ key, seq: e.dirtySeq, data: e.raster.data.slice(), width: e.raster.width, height: e.raster.height }));
    this.manifestDirty = false;
    await journal.flush();
    for (const copy of dirty) {
      const [videoId, frameText] = copy.key.split('/') as [string, string];
      const frame = Number(frameText);
      const bytes = await encodeRaster({ width: copy.width, height: copy.height, data: copy.data });
      await mkdir(maskDir(this.dir, videoId), { recursive: true });
      await atomicWriteFile(maskPath(this.dir, videoId, frame), bytes);
      for (const doc of [snapshot, this.manifest]) {
        const state = doc.videos.find((v) => v.id === videoId)?.frames[frame];
        if (state) state.maskBytes = bytes.length;
      }
    }
    const text = serializeManifest(snapshot);
    const backupRevision = this.savedRevision;
    await writeManifest(this.dir, text, this.manifestText);
    this.manifestText = text;
    this.savedRevision = target;
    for (const copy of dirty) {
      const entry = this.rasters.get(copy.key);
      if (entry && entry.dirtySeq === copy.seq) entry.dirtySeq = 0;
    }
    await journal.dropThrough(backupRevision);
    // After a failure the journal may miss entries; the files just written hold them, up to `target`.
    if (this.save !== 'saved' && (journal.durable >= this.revision || (this.failing && target === this.revision))) this.setSave('saved');
    if (this.failing) {
      this.failing = false;
      this.listener.notice({ kind: 'save-failed', level: 'info', message: `Saving ${this.dir} works again: everything is saved.` });
    }
  }

  private setSave(state: SaveState): void {
    if (this.save === state && state !== 'saved') return;
    this.save = state;
    this.listener.saved(this.revision, state);
  }

  /**
   * A failed journal write or compaction: the edits stay in memory and a full compaction (which writes the whole
   * state, journal or not) is retried every few seconds until one succeeds. The user is told once, and again
   * when it worked.
   */
  private saveFailed(err: Error): void {
    this.setSave('unsaved');
    this.manifestDirty = true;
    if (!this.failing) {
      this.listener.notice({ kind: 'save-failed', level: 'error', message: `Saving ${this.dir} failed: ${err.message}. Your edits are kept in memory and saving is retried every few seconds; free disk space or check the folder.` });
    }
    this.failing = true;
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.compact().catch((again: Error) => this.saveFailed(again));
    }, SAVE_RETRY_MS);
    this.retryTimer.unref();
  }

  private assertOpen(): void {
    if (this.closed) throw new AppError('bad-input', `${this.dir} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.readOnly) throw new AppError('unsupported', `${this.dir} is open read-only: ${this.readOnly.reason}`);
  }

  /** Runs requests that touch the document one at a time, in order. */
  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.catch(() => undefined).then(run);
    this.queue = next;
    return next;
  }
}

/** Pixels of deleted objects read as 0 (an id is never given to another object, so a stale id cannot mean another object). */
function clearUnknownIds(raster: ObjectRaster, objects: readonly ProjectObject[]): void {
  const known = new Uint8Array(65536);
  known[0] = 1;
  for (const o of objects) known[o.id] = 1;
  const { data } = raster;
  for (let i = 0; i < data.length; i++) if (!known[data[i]!]) data[i] = 0;
}
