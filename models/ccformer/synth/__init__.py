"""Synthetic audio-visual segmentation data: scenes of sounding and silent objects with known ground truth.

Library entry points (the `ccformer synth` command writes them to disk in AVSBench layouts):
- `generate_clip(task, seed, size) -> Clip`: frames, visible-instance maps, sounding schedule, waveform, masks.
- `write_clip(clip, out, split)` / `write_metadata(task, out, rows)`: published S4 / MS3 / AVSS layouts.
- `write_mp4(clip, path)`: H.264 + AAC video whose sampled frame for second k is dataset frame k.
"""

from ccformer.synth.classes import SYNTH_CLASSES, SynthClass, synth_class_names
from ccformer.synth.clip import TASK_SECONDS, Clip, generate_clip, generate_scene
from ccformer.synth.video import sampled_frames, write_mp4
from ccformer.synth.writers import subset_root, write_clip, write_metadata

__all__ = [
    "SYNTH_CLASSES", "SynthClass", "synth_class_names", "TASK_SECONDS", "Clip", "generate_clip",
    "generate_scene", "sampled_frames", "write_mp4", "subset_root", "write_clip", "write_metadata",
]
