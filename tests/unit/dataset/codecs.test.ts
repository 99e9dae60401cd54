import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, encodePng, encodeWavPcm16, jpegSize, parseWavHeader } from '../../../src-main/dataset';
import { probeVideo, resolveFfmpeg } from '../../../src-main/media';
import { runTool } from '../../../src-main/media/run-tool';
import { ffmpeg, makeTempDir } from '../helpers/media-fixtures';
import { pngBomb, pngClaiming } from '../helpers/png-bomb';

let dir = '';
beforeAll(async () => { dir = await makeTempDir(); });
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('PNG codec', () => {
  it('round-trips grey and RGB at odd sizes', () => {
    const grey = Uint8Array.from({ length: 7 * 5 }, (_, i) => (i * 37) % 71);
    const g = decodePng(encodePng(7, 5, 1, grey));
    expect([g.width, g.height, g.channels]).toEqual([7, 5, 1]);
    expect(Array.from(g.data)).toEqual(Array.from(grey));
    const rgb = Uint8Array.from({ length: 3 * 3 * 2 }, (_, i) => (i * 53) % 256);
    const c = decodePng(encodePng(3, 2, 3, rgb));
    expect(c.channels).toBe(3);
    expect(Array.from(c.data)).toEqual(Array.from(rgb));
    expect(() => encodePng(3, 2, 3, new Uint8Array(5))).toThrow(RangeError);
  });

  it('decodes what ffmpeg writes (all row filters, palette as indices)', async () => {
    const src = path.join(dir, 'src.png');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=68x46,scale=67:45', '-frames:v', '1', '-pred', 'mixed', '-pix_fmt', 'rgb24', src]);
    const raw = await runTool(resolveFfmpeg().ffmpeg, ['-v', 'error', '-i', src, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], src);
    const img = decodePng(await fs.readFile(src));
    expect([img.width, img.height, img.channels]).toEqual([67, 45, 3]);
    expect(Buffer.from(img.data).equals(raw)).toBe(true);
    const pal = path.join(dir, 'pal.png');
    await ffmpeg(['-i', src, '-pix_fmt', 'pal8', pal]);
    const p = decodePng(await fs.readFile(pal));
    expect(p.colorType).toBe(3);
    expect(p.palette!.length % 3).toBe(0);
    const i = p.data[10]!;
    expect(Array.from(p.palette!.subarray(i * 3, i * 3 + 3)).every((v) => v >= 0 && v <= 255)).toBe(true);
  });

  it('rejects corrupt files', () => {
    const png = encodePng(2, 2, 1, new Uint8Array(4));
    const bad = Buffer.from(png);
    bad[bad.length - 20] = bad[bad.length - 20]! ^ 0xff; // inside IDAT
    expect(() => decodePng(bad)).toThrow(/CRC|truncated/);
    expect(() => decodePng(Buffer.from('hello'))).toThrow('not a PNG');
  });
});

describe('PNG decoder limits', () => {
  it('refuses a decompression bomb without inflating it (1 MB that would inflate to 256 MiB)', async () => {
    const bomb = await pngBomb(33, 17, 256 << 20);
    expect(bomb.length).toBeLessThan(1 << 20);
    const rss = process.memoryUsage().rss;
    expect(() => decodePng(bomb)).toThrow(/^PNG image data inflates past the 33x17 image it claims \(decompression bomb\?\)$/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(64 << 20);
  });

  it('refuses absurd or unexpected sizes from the header alone', () => {
    expect(() => decodePng(pngClaiming(100_000, 100_000))).toThrow(/PNG is 100000x100000, larger than the 64 M pixels/);
    expect(() => decodePng(encodePng(4, 4, 1, new Uint8Array(16)), { width: 4, height: 5 })).toThrow(/^PNG is 4x4, expected 4x5$/);
    expect(decodePng(encodePng(4, 5, 1, new Uint8Array(20)), { width: 4, height: 5 }).data).toHaveLength(20);
  });
});

describe('WAV and JPEG headers', () => {
  it('writes a 16 kHz mono PCM16 RIFF file that ffprobe reads', async () => {
    const samples = Float32Array.from({ length: 16000 }, (_, i) => Math.sin(i / 10) * 1.5); // clipped at +-1
    const bytes = encodeWavPcm16(samples, 16000);
    expect(bytes.length).toBe(44 + 32000);
    expect(parseWavHeader(bytes)).toEqual({ format: 1, channels: 1, sampleRate: 16000, bitsPerSample: 16, frames: 16000 });
    expect(bytes.readInt16LE(44 + 2 * 16)).toBe(32767);
    const file = path.join(dir, 'a.wav');
    await fs.writeFile(file, bytes);
    const out = await runTool(resolveFfmpeg().ffprobe, ['-v', 'error', '-show_entries', 'stream=sample_rate,channels,codec_name,duration', '-of', 'json', file], file);
    expect(out.toString()).toMatch(/"codec_name": "pcm_s16le"[\s\S]*"sample_rate": "16000"[\s\S]*"channels": 1/);
    expect(() => parseWavHeader(bytes.subarray(0, 40))).toThrow();
  });

  it('reads JPEG sizes from the frame header', async () => {
    const file = path.join(dir, 'f.jpg');
    await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=322x242,scale=321:241', '-frames:v', '1', file]);
    expect(jpegSize(await fs.readFile(file))).toEqual({ width: 321, height: 241 });
    expect(() => jpegSize(Buffer.from('nope'))).toThrow();
    await expect(probeVideo(path.join(dir, 'nothing.mp4'))).rejects.toThrow('no such file');
  });
});
