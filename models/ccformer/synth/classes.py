"""The synthetic object classes: one visual identity and one sound per class, named after real AVSS classes.

Why real names: the generated datasets, exported masks and palettes then stay AVSBench-valid (class indices and
colours come from `ccformer.avss`). Each class differs from the others in shape, texture and colour family, and
its sound differs in timbre, pitch range and rhythm, so a model must pair what it hears with what it sees.
Per-instance variation (size, aspect, hue/value jitter, texture frequency, pitch, tempo) is drawn per object so a
class is never a single colour or a single tone.
"""

from __future__ import annotations

from dataclasses import dataclass

from ccformer.avss import AVSS_CLASSES


@dataclass(frozen=True)
class SynthClass:
    """Visual and acoustic identity of one synthetic class.

    `hsv1`/`hsv2` are the primary/secondary colours (hue, saturation, value) before per-instance jitter;
    `aspect` is width/height; `scale` multiplies the drawn object radius; `pitch` is the fundamental range (Hz)
    the sound draws from and `rate` the event rate range (events per second; 0 = continuous sound).
    """

    name: str
    shape: str
    texture: str
    hsv1: tuple[float, float, float]
    hsv2: tuple[float, float, float]
    aspect: tuple[float, float]
    scale: float
    pitch: tuple[float, float]
    rate: tuple[float, float]

    @property
    def avss_index(self) -> int:
        """Class index in the 71-class AVSS label space (0 = background)."""
        return AVSS_CLASSES.index(self.name)


SYNTH_CLASSES: tuple[SynthClass, ...] = (
    # piano: wide black/white keyboard block; chords of decaying harmonic notes, upper-middle register
    SynthClass("piano", "rect", "keys", (0.0, 0.0, 0.95), (0.0, 0.0, 0.08), (1.6, 2.0), 1.1,
               (420.0, 800.0), (1.4, 2.0)),
    # guitar: orange wooden figure-eight with a sound hole; bright low plucked strums, fast strumming
    SynthClass("guitar", "figure8", "grain", (0.07, 0.75, 0.85), (0.05, 0.85, 0.35), (0.55, 0.7), 1.1,
               (110.0, 220.0), (3.0, 4.5)),
    # violin: tall deep-red ellipse with a light centre line; sustained bowed tone with vibrato, high register
    SynthClass("violin", "ellipse", "varnish", (0.99, 0.85, 0.55), (0.03, 0.5, 0.95), (0.5, 0.62), 1.0,
               (800.0, 1300.0), (0.0, 0.0)),
    # bell: golden flared bell with metallic bands; inharmonic ringing strikes with a long decay
    SynthClass("bell", "bell", "metal", (0.14, 0.85, 0.95), (0.11, 0.9, 0.45), (0.85, 1.05), 0.95,
               (1100.0, 1700.0), (1.4, 2.0)),
    # drum: blue disc with concentric rings; low pitch-swept thumps with a noise burst, steady beat
    SynthClass("drum", "circle", "rings", (0.6, 0.8, 0.85), (0.62, 0.6, 0.3), (1.0, 1.0), 0.9,
               (90.0, 140.0), (2.0, 3.2)),
    # dog: cream irregular blob with dark spots; noisy formant barks in bursts
    SynthClass("dog", "blob", "spots", (0.1, 0.25, 0.92), (0.06, 0.7, 0.3), (0.9, 1.2), 1.0,
               (400.0, 700.0), (1.8, 2.6)),
    # car: green car silhouette with grey windows and black wheels; continuous low engine drone
    SynthClass("car", "car", "bodywork", (0.33, 0.75, 0.7), (0.58, 0.15, 0.85), (1.6, 1.9), 1.15,
               (28.0, 45.0), (0.0, 0.0)),
    # clock: purple-rimmed rounded-square dial with ticks and hands; tick-tock wood-block clicks
    SynthClass("clock", "squircle", "dial", (0.78, 0.12, 0.95), (0.78, 0.8, 0.45), (1.0, 1.0), 0.85,
               (2000.0, 2800.0), (2.0, 2.0)),
    # bird: teal kite with diagonal feather stripes; fast high chirps
    SynthClass("bird", "kite", "feathers", (0.48, 0.75, 0.8), (0.45, 0.35, 0.98), (1.1, 1.4), 1.05,
               (3500.0, 5200.0), (2.5, 4.0)),
)

CLASS_BY_NAME: dict[str, SynthClass] = {c.name: c for c in SYNTH_CLASSES}


def synth_class_names() -> list[str]:
    """Names of the synthetic classes, in generator order."""
    return [c.name for c in SYNTH_CLASSES]
