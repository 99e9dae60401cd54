"""Playable mp4 (H.264 + AAC) of a generated clip, aligned with the dataset frames.

The app represents second k by the frame displayed at t = k + 15/16 s (AVSBench sampling rule, docs/architecture.md).
We encode at 16 fps with pts = frame number in a 1/16 s time base and render continuous motion for every
sub-frame, so frame 16k + 15 is displayed exactly at k + 15/16 and *is* dataset frame k (the same render;
only H.264 loss separates them). The audio track is the clip's waveform.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

from ccformer.synth.clip import Clip
from ccformer.synth.scene import frame_time, render
from ccformer.synth.sound import SR

FPS = 16
DATASET_SUBFRAME = FPS - 1  # sub-frame index (0-based) shown at k + 15/16


def subframes(clip: Clip, second: int) -> list[np.ndarray]:
    """The 16 video frames of `second` (uint8 RGB); the last one is the dataset frame itself."""
    out = [render(clip.scene, frame_time(second, j, FPS), clip.size)[0] for j in range(DATASET_SUBFRAME)]
    return [*out, clip.frames[second]]


def write_mp4(clip: Clip, path: Path, crf: int = 18) -> Path:
    """Encode `clip` as `path` (H.264 yuv420p at 16 fps + mono AAC at 16 kHz). Size must be even."""
    import av

    if clip.size % 2:
        raise ValueError(f"video size must be even for yuv420p, got {clip.size}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=FPS)
        video.width = video.height = clip.size
        video.pix_fmt = "yuv420p"
        video.time_base = Fraction(1, FPS)
        video.options = {"crf": str(crf), "preset": "veryfast", "threads": "1"}
        audio = container.add_stream("aac", rate=SR, layout="mono")
        audio.time_base = Fraction(1, SR)
        for k in range(clip.seconds):
            for j, rgb in enumerate(subframes(clip, k)):
                frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
                frame.pts, frame.time_base = FPS * k + j, Fraction(1, FPS)
                container.mux(video.encode(frame))
        container.mux(video.encode(None))
        wave = np.ascontiguousarray(clip.waveform, dtype=np.float32)
        for start in range(0, len(wave), 1024):
            chunk = wave[start:start + 1024][None, :]
            frame = av.AudioFrame.from_ndarray(chunk, format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = SR, start, Fraction(1, SR)
            container.mux(audio.encode(frame))
        container.mux(audio.encode(None))
    return path


def sampled_frames(path: Path, seconds: int) -> list[np.ndarray]:
    """Decode `path` and return, per second k, the last frame whose time (from the first frame) <= k + 15/16."""
    import av

    with av.open(str(path)) as container:
        decoded = [(f.pts, f.time_base, f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    first = decoded[0][0]
    times = [float((pts - first) * tb) for pts, tb, _ in decoded]
    out = []
    for k in range(seconds):
        target = k + DATASET_SUBFRAME / FPS
        idx = max(i for i, t in enumerate(times) if t <= target + 1e-9)
        out.append(decoded[idx][2])
    return out
