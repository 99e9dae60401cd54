/** Reads a JPEG's pixel size from its SOF marker without decoding (the validator compares it to mask sizes). */
export function jpegSize(file: Uint8Array): { width: number; height: number } {
  if (file.length < 4 || file[0] !== 0xff || file[1] !== 0xd8) throw new Error('not a JPEG file');
  let pos = 2;
  while (pos + 4 <= file.length) {
    if (file[pos] !== 0xff) throw new Error('corrupt JPEG marker stream');
    const marker = file[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    const len = (file[pos + 2]! << 8) | file[pos + 3]!;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > file.length) break;
      return { height: (file[pos + 5]! << 8) | file[pos + 6]!, width: (file[pos + 7]! << 8) | file[pos + 8]! };
    }
    if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan before any SOF
    pos += 2 + len;
  }
  throw new Error('JPEG has no frame header');
}
