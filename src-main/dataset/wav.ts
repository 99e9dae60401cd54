/**
 * 16-bit PCM WAV (RIFF) encode and header parse: the AVSS `audio.wav` is 16 kHz mono PCM16, and the validator
 * checks the header fields and that the data chunk size matches the file.
 */

/** The 44-byte RIFF/WAVE header of a PCM16 file whose data chunk holds `dataBytes` bytes. */
export function wavHeader(sampleRate: number, dataBytes: number, channels = 1): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16); // fmt chunk size
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28); // byte rate
  h.writeUInt16LE(channels * 2, 32); // block align
  h.writeUInt16LE(16, 34); // bits per sample
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

/** Float samples in [-1, 1] -> little-endian PCM16 (values outside are clipped). */
export function pcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  return out;
}

/** Float samples in [-1, 1] -> PCM16 WAV bytes (values outside are clipped). */
export function encodeWavPcm16(samples: Float32Array, sampleRate: number, channels = 1): Buffer {
  return Buffer.concat([wavHeader(sampleRate, samples.length * 2, channels), pcm16(samples)]);
}

export interface WavInfo {
  format: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Sample frames in the data chunk. */
  frames: number;
}

/** Parses a WAV header (walking the chunks); throws Error with a short reason when malformed. */
export function parseWavHeader(file: Uint8Array): WavInfo {
  const buf = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  if (buf.readUInt32LE(4) !== buf.length - 8) throw new Error(`RIFF size ${buf.readUInt32LE(4)} does not match file size ${buf.length}`);
  let pos = 12;
  let fmt: Omit<WavInfo, 'frames'> | undefined;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('latin1', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    if (id === 'fmt ') {
      if (size < 16) throw new Error('fmt chunk too short');
      fmt = {
        format: buf.readUInt16LE(pos + 8),
        channels: buf.readUInt16LE(pos + 10),
        sampleRate: buf.readUInt32LE(pos + 12),
        bitsPerSample: buf.readUInt16LE(pos + 22),
      };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      if (pos + 8 + size > buf.length) throw new Error(`data chunk claims ${size} bytes, file has ${buf.length - pos - 8}`);
      const frameBytes = (fmt.channels * fmt.bitsPerSample) / 8;
      if (frameBytes <= 0 || size % frameBytes !== 0) throw new Error('data size is not a whole number of sample frames');
      return { ...fmt, frames: size / frameBytes };
    }
    pos += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}
