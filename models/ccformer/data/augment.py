"""`data.augment`: mask-consistent training augmentation of a whole clip (every frame gets the same transform).

Why: the first reconstruction trained without augmentation, which every peer uses and which matters most on MS3
(296 training videos). One draw per clip, applied to all T frames and their masks alike, so that the temporal
modules still see a coherent video:
- horizontal flip (p = 0.5): frames and masks mirrored together;
- scale jitter + crop: the clip is enlarged by s in [1, MAX_SCALE] (frames bilinear, masks nearest, so class
  indices and the ignore label 255 stay exact) and one S x S window at a random offset is cut from every frame;
- photometric noise (frames only): brightness/contrast jitter and Gaussian pixel noise, on real frames only
  (zero-padded seconds of 5-frame AVSS clips stay zero).
Audio is left alone: a flipped or cropped picture sounds the same.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

MAX_SCALE = 1.25
BRIGHTNESS = 0.2  # in normalised units (about 0.05 of the 0..1 range after ImageNet std)
CONTRAST = 0.2
NOISE_STD = 0.05


def flip_clip(frames: torch.Tensor, masks: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mirror frames [T,3,H,W] and masks [T,H,W] left to right."""
    return frames.flip(-1), masks.flip(-1)


def scale_crop(frames: torch.Tensor, masks: torch.Tensor, scale: float, top: float,
               left: float) -> tuple[torch.Tensor, torch.Tensor]:
    """Enlarge by `scale` and cut the original size back out at relative offset (top, left) in [0, 1]."""
    t, _, h, w = frames.shape
    sh, sw = max(h, round(h * scale)), max(w, round(w * scale))
    big = F.interpolate(frames, size=(sh, sw), mode="bilinear", align_corners=False)
    big_m = F.interpolate(masks[:, None].float(), size=(sh, sw), mode="nearest")[:, 0].to(masks.dtype)
    y, x = round(top * (sh - h)), round(left * (sw - w))
    return big[..., y:y + h, x:x + w].contiguous(), big_m[..., y:y + h, x:x + w].contiguous()


def augment_clip(sample: dict[str, Any], gen: torch.Generator | None = None) -> dict[str, Any]:
    """One random clip-level transform of a dataset sample (see the module doc); returns a new dict."""
    def u() -> float:
        return float(torch.rand((), generator=gen))

    frames, masks = sample["frames"], sample["masks"]
    if u() < 0.5:
        frames, masks = flip_clip(frames, masks)
    scale = 1.0 + (MAX_SCALE - 1.0) * u()
    frames, masks = scale_crop(frames, masks, scale, u(), u())
    valid = sample["valid"].view(-1, 1, 1, 1).to(frames.dtype)
    gain = 1.0 + CONTRAST * (2 * u() - 1)
    shift = BRIGHTNESS * (2 * u() - 1)
    noise = torch.randn(frames.shape, generator=gen) * NOISE_STD
    frames = (frames * gain + shift + noise) * valid
    return {**sample, "frames": frames, "masks": masks}


class AugmentedClips(Dataset):
    """A training view: `base[i]` with a fresh `augment_clip` draw every time it is read (after any cache)."""

    def __init__(self, base: Any) -> None:
        self.base = base

    def __len__(self) -> int:
        return len(self.base)

    def __getattr__(self, name: str) -> Any:  # records, task, size, ... of the wrapped dataset
        if name == "base":
            raise AttributeError(name)
        return getattr(self.base, name)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return augment_clip(self.base[index])
