"""Views of an `AVSDataset`: decoded clips kept in memory, and the audio ablations (`data.cache`,
`data.audio_override` in a training config; `ccformer ablate`).

Why views and not options of `AVSDataset`: the loader stays a plain reader of the published layouts, and every
ablation is the *same* clip list with only the audio tensor changed:
- `swap`:   clip i hears clip perm[i]'s audio, perm a deterministic derangement (no clip keeps its own audio);
- `silent`: every example is the log-mel of a silent recording, log(0 + 0.01) (VGGish's LOG_OFFSET);
- `zero`:   the log-mel tensor is all zeros (how the visual-only baseline is trained and evaluated).
`CachedClips` keeps decoded clips in memory: decoding a clip (10 JPEGs, 20 PNGs, the wav's log-mel) costs about
as much as a small model's training step on 2 CPU cores, and training reads every clip once per epoch.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from ccformer.audio.logmel import LOG_OFFSET

AUDIO_MODES = ("none", "swap", "silent", "zero")
SILENT_LOGMEL = math.log(LOG_OFFSET)  # log(|STFT| @ mel + 0.01) of an all-zero waveform


def derangement(n: int, seed: int = 0) -> list[int]:
    """A permutation of range(n) with no fixed point, the same for the same (n, seed); n >= 2."""
    if n < 2:
        raise ValueError(f"swapping audio needs at least 2 clips, got {n}")
    rng = np.random.default_rng(seed)
    while True:  # rejection sampling: about e tries on average
        perm = rng.permutation(n)
        if not np.any(perm == np.arange(n)):
            return [int(i) for i in perm]


class CachedClips(Dataset):
    """Decodes each clip of `base` once and serves it from memory (frames float32, masks uint8 -> int64).

    Use with `num_workers=0` (a worker's cache dies with the worker).
    """

    def __init__(self, base: Any) -> None:
        self.base = base
        self._cache: dict[int, dict[str, Any]] = {}

    def __len__(self) -> int:
        return len(self.base)

    def __getattr__(self, name: str) -> Any:  # records, task, size, ... of the wrapped dataset
        if name in ("base", "_cache"):
            raise AttributeError(name)
        return getattr(self.base, name)

    def __getitem__(self, index: int) -> dict[str, Any]:
        item = self._cache.get(index)
        if item is None:
            item = dict(self.base[index])
            masks = item["masks"]
            if masks.min() >= 0 and masks.max() <= 255:
                item["masks"] = masks.to(torch.uint8)
            self._cache[index] = item
        out = dict(item)
        out["masks"] = item["masks"].long()
        return out


class AudioOverride(Dataset):
    """`base` with each clip's audio replaced per `mode` (see the module docstring); frames and masks untouched.

    `mode="swap"` uses `derangement(len(base), seed)`; `perm` is kept so a report can name the pairs.
    """

    def __init__(self, base: Any, mode: str, *, seed: int = 0) -> None:
        if mode not in AUDIO_MODES:
            raise ValueError(f"audio mode must be one of {AUDIO_MODES}, got {mode!r}")
        self.base, self.mode = base, mode
        self.perm: Sequence[int] | None = derangement(len(base), seed) if mode == "swap" else None

    def __len__(self) -> int:
        return len(self.base)

    def __getattr__(self, name: str) -> Any:
        if name in ("base", "mode", "perm"):
            raise AttributeError(name)
        return getattr(self.base, name)

    def __getitem__(self, index: int) -> dict[str, Any]:
        item = dict(self.base[index])
        audio: torch.Tensor = item["audio"]
        if self.mode == "swap":
            assert self.perm is not None
            other = self.base[self.perm[index]]
            audio = other["audio"].clone()
            # the donor's padded seconds (AVSS v1s/v1m) stay silent-as-padding in this clip's frames
            audio = audio * item["valid"].view(-1, 1, 1, 1).to(audio.dtype)
        elif self.mode == "silent":
            audio = torch.full_like(audio, SILENT_LOGMEL) * item["valid"].view(-1, 1, 1, 1).to(audio.dtype)
        elif self.mode == "zero":
            audio = torch.zeros_like(audio)
        item["audio"] = audio
        return item
