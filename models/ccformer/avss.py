"""AVSBench-semantic (AVSS) class list, label2idx mapping and colour palette.

One source of truth for the Python half; `src-main/shared/avss-classes.ts` mirrors it for the app and a test
checks that both agree. Facts from the published AVSBench release: index 0 is background, then the 70 object
classes in alphabetical order; `label2idx.json` is 1-based; colours follow the PASCAL-VOC bit-interleaving palette.
"""

from __future__ import annotations

AVSS_OBJECT_CLASSES: tuple[str, ...] = (
    "accordion", "airplane", "axe", "baby", "bassoon", "bell", "bird", "boat", "boy", "bus", "car", "cat",
    "cello", "clarinet", "clipper", "clock", "dog", "donkey", "drum", "duck", "elephant", "emergency-car",
    "erhu", "flute", "frying-food", "girl", "goose", "guitar", "gun", "guzheng", "hair-dryer", "handpan",
    "harmonica", "harp", "helicopter", "hen", "horse", "keyboard", "leopard", "lion", "man", "marimba",
    "missile-rocket", "motorcycle", "mower", "parrot", "piano", "pig", "pipa", "saw", "saxophone", "sheep",
    "sitar", "sorna", "squirrel", "tabla", "tank", "tiger", "tractor", "train", "trombone", "truck", "trumpet",
    "tuba", "ukulele", "utv", "vacuum-cleaner", "violin", "wolf", "woman",
)
AVSS_CLASSES: tuple[str, ...] = ("background", *AVSS_OBJECT_CLASSES)
NUM_AVSS_CLASSES = len(AVSS_CLASSES)  # 71


def label2idx() -> dict[str, int]:
    """The published `label2idx.json` content: 1-based, background first (class index = value - 1)."""
    return {name: i + 1 for i, name in enumerate(AVSS_CLASSES)}


def palette(num_classes: int = NUM_AVSS_CLASSES) -> list[tuple[int, int, int]]:
    """PASCAL-VOC palette: the bits of label j are spread over R, G, B from the most significant bit down."""
    colours = []
    for j in range(num_classes):
        r = g = b = 0
        label, shift = j, 7
        while label:
            r |= (label & 1) << shift
            g |= ((label >> 1) & 1) << shift
            b |= ((label >> 2) & 1) << shift
            label >>= 3
            shift -= 1
        colours.append((r, g, b))
    return colours
