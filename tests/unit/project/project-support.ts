/** Helpers for project tests: a synthetic video doc (no media needed), a listener that records, a dead pid. */
import { spawnSync } from 'node:child_process';
import type { EventMap, ProjectNotice } from '../../../src-main/shared/ipc-contract';
import type { ProjectObject, VideoDoc } from '../../../src-main/shared/project-model';
import type { ProjectListener } from '../../../src-main/project/project';

export function videoDoc(id: string, frames: number, width = 8, height = 6, path = `/nowhere/${id}.mp4`): VideoDoc {
  return {
    id, file: { path, size: 1000, fingerprint: '0123456789abcdef0123456789abcdef' }, durationSec: frames, fps: 10, width, height,
    rotation: 0, hasAudio: true, nextObjectId: 1, objects: [],
    frames: Array.from({ length: frames }, (_, index) => ({ index, timeSec: index + 0.9, review: 'unreviewed' as const, source: { kind: 'none' as const }, revision: 0 })),
  };
}

export function object(id: number, classIndex: number, frames: number, extra: Partial<ProjectObject> = {}): ProjectObject {
  return { id, classIndex, visible: true, locked: false, z: id, sounding: Array.from({ length: frames }, () => true), ...extra };
}

export function recorder(): ProjectListener & { saved: ProjectListener['saved']; notices: ProjectNotice[]; states: EventMap['project:saved'][] } {
  const notices: ProjectNotice[] = [];
  const states: EventMap['project:saved'][] = [];
  return { notices, states, saved: (revision, state) => states.push({ revision, state }), notice: (n) => notices.push(n) };
}

/** A pid that surely is not running: a child that has exited. */
export function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}
