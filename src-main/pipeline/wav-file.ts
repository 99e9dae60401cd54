/**
 * 16-bit PCM mono WAV written window by window, so a long video's audio never sits in memory whole: the header
 * is written with a zero length first and patched when the last window is in.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { pcm16, wavHeader as header } from '../dataset';

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
