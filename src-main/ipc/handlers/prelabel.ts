/**
 * prelabel:start / cancel / result. A job runs the pipeline on one video of the open project and writes each
 * finished window into the project as revision 0 of its frames (PrelabelWriter); progress and the result
 * arrive as events. One job per video: a new start replaces a running one.
 */
import { randomBytes } from 'node:crypto';
import type { DeviceChoice, PrelabelResult } from '../../shared/ipc-contract';
import { AppError, toApiError } from '../../pipeline/app-error';
import { prelabelVideo } from '../../pipeline/prelabel-video';
import { modelSource, prelabelProblem, PrelabelWriter } from '../../project/prelabel-writer';
import type { AppContext, DomainHandlers, PrelabelJobs } from './context';

interface Job {
  videoId: string;
  controller: AbortController;
  done: Promise<PrelabelResult>;
}

export class PrelabelJobQueue implements PrelabelJobs {
  private readonly jobs = new Map<string, Job>();
  /** This session's results (frame statistics for the UI's layer list). */
  private readonly results = new Map<string, PrelabelResult>();

  constructor(private readonly ctx: () => AppContext) {}

  /** `onlyWindowOf`: re-run only the model window holding that frame (edited/approved frames are kept). */
  start(videoId: string, device: DeviceChoice, onlyWindowOf?: number): string {
    const ctx = this.ctx();
    const project = ctx.projects.require();
    const doc = project.video(videoId);
    // Nothing can sound in a silent video: its objects are written as not sounding (the annotator may change that).
    if (!doc.hasAudio) ctx.events.log('warn', `${doc.file.path}: no audio track; pre-labelled as silent (no object marked sounding)`);
    const { info: model, file: modelFile } = ctx.models.require();
    for (const job of this.jobs.values()) if (job.videoId === videoId) job.controller.abort();
    const jobId = `j${randomBytes(8).toString('hex')}`;
    const controller = new AbortController();
    const problem = prelabelProblem(model);
    if (problem) ctx.events.log('warn', problem);
    let writer: PrelabelWriter | null = null;
    const done = ctx.media.video(videoId).then((entry) => prelabelVideo({
      entry, media: ctx.media, host: ctx.host, model, modelFile, device, signal: controller.signal,
      ...(onlyWindowOf !== undefined ? { onlyWindowOf } : {}),
      onProgress: (p) => ctx.events.emit('prelabel:progress', { jobId, videoId, ...p }),
      onWarning: (message) => ctx.events.log('warn', message),
      onProvider: (status) => {
        ctx.events.emit('provider:changed', status);
        if (!problem && !project.readOnly) writer = new PrelabelWriter(project, videoId, model, modelSource(model, status));
      },
      onWindow: async (frames) => {
        const result = await writer?.window(frames);
        if (writer) ctx.events.emit('project:changed', { revision: project.revision, videoId, frames: frames.map((f) => f.label.index) });
        return result;
      },
    }));
    this.jobs.set(jobId, { videoId, controller, done });
    done.then(
      (result) => {
        this.results.set(videoId, result);
        ctx.events.emit('prelabel:done', { jobId, result });
      },
      (err: unknown) => ctx.events.emit('prelabel:error', { jobId, videoId, error: toApiError(err) }),
    ).finally(() => this.jobs.delete(jobId))
      // A listener that throws must not become an unhandled rejection (which would end the CLI with a stack).
      .catch((err: unknown) => ctx.events.log('error', `event listener failed: ${toApiError(err).message}`));
    return jobId;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.controller.abort();
    return job !== undefined;
  }

  done(jobId: string): Promise<PrelabelResult> {
    return this.jobs.get(jobId)?.done ?? Promise.reject(new AppError('not-found', `no running job ${jobId}`));
  }

  result(videoId: string): PrelabelResult | null {
    return this.results.get(videoId) ?? null;
  }

  async dispose(): Promise<void> {
    for (const job of this.jobs.values()) job.controller.abort();
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
  }
}

export function prelabelHandlers(ctx: AppContext): DomainHandlers<'prelabel'> {
  return {
    'prelabel:start': async ({ videoId, device }) => ({ jobId: ctx.jobs.start(videoId, device) }),
    'prelabel:cancel': async ({ jobId }) => ({ cancelled: ctx.jobs.cancel(jobId) }),
    'prelabel:result': async ({ videoId }) => {
      ctx.projects.require().video(videoId);
      return ctx.jobs.result(videoId);
    },
  };
}
