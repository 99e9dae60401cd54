/**
 * Payload validation for every request channel. The renderer is treated as untrusted (a compromised page must
 * not reach arbitrary services), so every payload is checked here, before any service runs, by small
 * hand-written validators: exact key sets, types, lengths; ids restricted to a charset that is safe in paths.
 */
import {
  REQUEST_CHANNELS, type DatasetSplit, type DeviceChoice, type RequestChannel, type RequestMap,
} from '../shared/ipc-contract';
import * as v from 'valibot';
import { ExportRequestSchema, type ExportRequest } from '../shared/dataset-formats';
import { describeIssue } from '../shared/project-model';

export type Validated<C extends RequestChannel> = { ok: true; payload: RequestMap[C]['req'] } | { ok: false; message: string };

/** Ids minted by main (videoId, jobId): also used as folder names, so no dots or separators. */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_PATH = 4096;
/** A 4K single-channel PNG is ~8 MB in the worst case; base64 adds a third. */
export const MAX_PNG_BASE64 = 48 * 1024 * 1024;
const DEVICES: readonly DeviceChoice[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];
const SPLITS: readonly DatasetSplit[] = ['train', 'val', 'test'];

class Invalid extends Error {}

function record(payload: unknown, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) throw new Invalid('payload must be an object');
  const obj = payload as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!required.includes(key) && !optional.includes(key)) throw new Invalid(`unexpected field "${key}"`);
  }
  for (const key of required) if (!(key in obj)) throw new Invalid(`missing field "${key}"`);
  return obj;
}

function id(obj: Record<string, unknown>, key: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) throw new Invalid(`"${key}" must be an id`);
  return v;
}

function optionalPath(obj: Record<string, unknown>, key: string): { [k: string]: string } {
  const v = obj[key];
  if (v === undefined) return {};
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_PATH || v.includes('\0')) {
    throw new Invalid(`"${key}" must be a file path`);
  }
  return { [key]: v };
}

function oneOf<T extends string>(obj: Record<string, unknown>, key: string, allowed: readonly T[]): T {
  const v = obj[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new Invalid(`"${key}" must be one of ${allowed.join(', ')}`);
  }
  return v as T;
}

type Validators = { [C in RequestChannel]: (payload: unknown) => RequestMap[C]['req'] };

const validators: Validators = {
  'app:info': (p) => (record(p, []), {}),
  'video:list': (p) => (record(p, []), {}),
  'model:info': (p) => (record(p, []), {}),
  'video:open': (p) => optionalPath(record(p, [], ['path']), 'path'),
  'model:open': (p) => optionalPath(record(p, [], ['path']), 'path'),
  'prelabel:start': (p) => {
    const o = record(p, ['videoId', 'device']);
    return { videoId: id(o, 'videoId'), device: oneOf(o, 'device', DEVICES) };
  },
  'prelabel:cancel': (p) => ({ jobId: id(record(p, ['jobId']), 'jobId') }),
  'prelabel:result': (p) => ({ videoId: id(record(p, ['videoId']), 'videoId') }),
  'mask:save': (p) => {
    const o = record(p, ['videoId', 'index', 'pngBase64']);
    const index = o['index'];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > 1e7) {
      throw new Invalid('"index" must be a non-negative integer');
    }
    const png = o['pngBase64'];
    if (typeof png !== 'string' || png.length === 0 || png.length > MAX_PNG_BASE64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(png)) {
      throw new Invalid('"pngBase64" must be base64 PNG data');
    }
    return { videoId: id(o, 'videoId'), index, pngBase64: png };
  },
  'export:avss': (p) => {
    const o = record(p, ['videoId', 'split'], ['outDir']);
    return { videoId: id(o, 'videoId'), split: oneOf(o, 'split', SPLITS), ...optionalPath(o, 'outDir') };
  },
  'export:preview': (p) => exportRequest(p),
  'export:dataset': (p) => exportRequest(p),
};

/** Export requests: the one valibot schema (strict objects: no path field can slip through). */
function exportRequest(p: unknown): ExportRequest {
  const result = v.safeParse(ExportRequestSchema, p);
  if (!result.success) throw new Invalid(describeIssue(result.issues[0]));
  for (const videoId of result.output.videoIds ?? []) if (!ID_PATTERN.test(videoId)) throw new Invalid('"videoIds" must be ids');
  return result.output;
}

export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(channel);
}

/** Checks one request; never throws. */
export function validateRequest<C extends RequestChannel>(channel: C, payload: unknown): Validated<C> {
  try {
    return { ok: true, payload: validators[channel](payload) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, message: `${channel}: ${err.message}` };
    throw err;
  }
}
