/**
 * Payload validation for every request channel. The renderer is treated as untrusted (a compromised page must
 * not reach arbitrary services), so every payload is checked here, before any service runs, against its
 * channel's valibot schema in the contract (`REQUEST_SCHEMAS`): exact key sets, types, lengths, ids restricted
 * to a charset that is safe in paths. The message names the channel and the failing field.
 */
import * as v from 'valibot';
import { REQUEST_CHANNELS, REQUEST_SCHEMAS, type RequestChannel, type RequestMap } from '../shared/ipc-contract';
import { describeIssue } from '../shared/project-model';

export { ID_PATTERN } from '../shared/project-model';

export type Validated<C extends RequestChannel> = { ok: true; payload: RequestMap[C]['req'] } | { ok: false; message: string };

export function isRequestChannel(channel: unknown): channel is RequestChannel {
  return typeof channel === 'string' && (REQUEST_CHANNELS as readonly string[]).includes(channel);
}

/** Checks one request; never throws. */
export function validateRequest<C extends RequestChannel>(channel: C, payload: unknown): Validated<C> {
  // Every payload is an object; valibot's object schemas would also take an array.
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, message: `${channel}: payload must be an object` };
  const result = v.safeParse(REQUEST_SCHEMAS[channel], payload);
  if (result.success) return { ok: true, payload: result.output as RequestMap[C]['req'] };
  return { ok: false, message: `${channel}: ${describeIssue(result.issues[0])}` };
}
