/**
 * AVSBench-semantic (AVSS) classes and colours, shared by the editor and every exporter so that a class keeps
 * one index and one colour everywhere. Mirrors `models/ccformer/avss.py` (a test checks they agree).
 * Index 0 is background; objects follow alphabetically; `label2idx.json` is 1-based (class index = value - 1).
 */
export const AVSS_OBJECT_CLASSES = [
  'accordion', 'airplane', 'axe', 'baby', 'bassoon', 'bell', 'bird', 'boat', 'boy', 'bus', 'car', 'cat',
  'cello', 'clarinet', 'clipper', 'clock', 'dog', 'donkey', 'drum', 'duck', 'elephant', 'emergency-car',
  'erhu', 'flute', 'frying-food', 'girl', 'goose', 'guitar', 'gun', 'guzheng', 'hair-dryer', 'handpan',
  'harmonica', 'harp', 'helicopter', 'hen', 'horse', 'keyboard', 'leopard', 'lion', 'man', 'marimba',
  'missile-rocket', 'motorcycle', 'mower', 'parrot', 'piano', 'pig', 'pipa', 'saw', 'saxophone', 'sheep',
  'sitar', 'sorna', 'squirrel', 'tabla', 'tank', 'tiger', 'tractor', 'train', 'trombone', 'truck', 'trumpet',
  'tuba', 'ukulele', 'utv', 'vacuum-cleaner', 'violin', 'wolf', 'woman',
] as const;

export const AVSS_CLASSES: readonly string[] = ['background', ...AVSS_OBJECT_CLASSES];
export const NUM_AVSS_CLASSES = AVSS_CLASSES.length; // 71

export type Rgb = readonly [number, number, number];

/** PASCAL-VOC palette: the bits of label j are spread over R, G, B from the most significant bit down. */
export function vocPalette(numClasses: number = NUM_AVSS_CLASSES): Rgb[] {
  const colours: Rgb[] = [];
  for (let j = 0; j < numClasses; j++) {
    let r = 0, g = 0, b = 0, label = j, shift = 7;
    while (label > 0) {
      r |= (label & 1) << shift;
      g |= ((label >> 1) & 1) << shift;
      b |= ((label >> 2) & 1) << shift;
      label >>= 3;
      shift -= 1;
    }
    colours.push([r, g, b]);
  }
  return colours;
}

export const AVSS_PALETTE: readonly Rgb[] = vocPalette();

/** The published `label2idx.json` content. */
export function label2idx(): Record<string, number> {
  return Object.fromEntries(AVSS_CLASSES.map((name, i) => [name, i + 1]));
}
