/**
 * 16-bit PCM mono WAV written window by window, so a long video's audio never sits in memory whole: the header
 * is written with a zero length first and patched when the last window is in.
 */
import { open, type FileHandle } from 'node:fs/promises';

function header(sampleRate: number, dataBytes: number): Buffer {
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(1, 22); // mono
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}

export function pcm16(samples: Float32Array): Buffer {
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out.writeInt16LE(Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), i * 2);
  }
  return out;
}

export class WavWriter {
  private bytes = 0;

  private constructor(private readonly fh: FileHandle, private readonly sampleRate: number) {}

  static async create(file: string, sampleRate: number): Promise<WavWriter> {
    const fh = await open(file, 'w');
    await fh.write(header(sampleRate, 0), 0, 44, 0);
    return new WavWriter(fh, sampleRate);
  }

  async append(samples: Float32Array): Promise<void> {
    const data = pcm16(samples);
    await this.fh.write(data, 0, data.length, 44 + this.bytes);
    this.bytes += data.length;
  }

  async close(): Promise<void> {
    try {
      await this.fh.write(header(this.sampleRate, this.bytes), 0, 44, 0);
    } finally {
      await this.fh.close();
    }
  }
}
