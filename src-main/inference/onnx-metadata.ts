/**
 * Reads an ONNX file's `metadata_props` without loading the graph. onnxruntime-node exposes no API for custom
 * metadata, so we walk the top level of the ModelProto protobuf ourselves, skipping every field but
 * `metadata_props` (field 14) by length: large models (hundreds of MB) are never read into memory.
 */
import type { FileHandle } from 'node:fs/promises';
import { errnoOf, FileStepError } from '../util/fs-errors';
import { openRegularFile } from '../util/regular-file';
import { ModelContractError, parseModelContract, type ModelContract } from '../shared/onnx-contract';

const FIELD_GRAPH = 7;
const FIELD_METADATA_PROPS = 14;
const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;
/** An entry larger than this is not model metadata; refusing it keeps a corrupt length from eating memory. */
const MAX_ENTRY_BYTES = 16 * 1024 * 1024;

interface Varint {
  value: number;
  size: number;
}

function readVarint(buf: Uint8Array, at: number): Varint | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10 && at + i < buf.length; i++) {
    const byte = buf[at + i]!;
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if ((byte & 0x80) === 0) return { value, size: i + 1 };
  }
  return null;
}

/** Decodes one StringStringEntryProto {key = 1, value = 2}. */
function parseEntry(buf: Uint8Array): [string, string] | null {
  let key: string | null = null;
  let value = '';
  let at = 0;
  const text = new TextDecoder('utf-8', { fatal: false });
  while (at < buf.length) {
    const tag = readVarint(buf, at);
    if (!tag || (tag.value & 7) !== WIRE_LEN) return null;
    const len = readVarint(buf, at + tag.size);
    if (!len) return null;
    const start = at + tag.size + len.size;
    const slice = buf.subarray(start, start + len.value);
    if (tag.value >>> 3 === 1) key = text.decode(slice);
    else if (tag.value >>> 3 === 2) value = text.decode(slice);
    at = start + len.value;
  }
  return key === null ? null : [key, value];
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return buf.subarray(0, bytesRead);
}

/** Returns the key -> value map of `metadata_props`; throws ModelContractError naming the file otherwise. */
export async function readOnnxMetadata(file: string): Promise<Record<string, string>> {
  let fh: FileHandle;
  try {
    fh = await openRegularFile(file, 'model');
  } catch (err) {
    const code = errnoOf(err);
    if (code === 'ENOENT') throw new ModelContractError(file, 'model file not found');
    throw new ModelContractError(file, err instanceof FileStepError ? err.message.slice(file.length + 2) : `cannot read model file (${code})`);
  }
  const notOnnx = (): ModelContractError => new ModelContractError(file, 'not an ONNX model file');
  try {
    const { size } = await fh.stat();
    const props: Record<string, string> = {};
    let sawGraph = false;
    let pos = 0;
    while (pos < size) {
      const head = await readAt(fh, pos, 20);
      const tag = readVarint(head, 0);
      if (!tag) throw notOnnx();
      const field = Math.floor(tag.value / 8);
      const wire = tag.value & 7;
      if (field === 0) throw notOnnx();
      let at = tag.size;
      if (wire === WIRE_VARINT) {
        const v = readVarint(head, at);
        if (!v) throw notOnnx();
        pos += at + v.size;
      } else if (wire === WIRE_FIXED64) {
        pos += at + 8;
      } else if (wire === WIRE_FIXED32) {
        pos += at + 4;
      } else if (wire === WIRE_LEN) {
        const len = readVarint(head, at);
        if (!len || pos + at + len.size + len.value > size) throw notOnnx();
        at += len.size;
        if (field === FIELD_GRAPH) sawGraph = true;
        if (field === FIELD_METADATA_PROPS) {
          if (len.value > MAX_ENTRY_BYTES) throw notOnnx();
          const entry = parseEntry(await readAt(fh, pos + at, len.value));
          if (!entry) throw notOnnx();
          props[entry[0]] = entry[1];
        }
        pos += at + len.value;
      } else {
        throw notOnnx();
      }
    }
    if (!sawGraph) throw notOnnx();
    return props;
  } finally {
    await fh.close();
  }
}

/** Reads and checks the model contract of an ONNX file (metadata only; no session is created). */
export async function loadModelContract(file: string): Promise<ModelContract> {
  return parseModelContract(file, await readOnnxMetadata(file));
}
