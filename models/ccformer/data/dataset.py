"""`AVSDataset`: one dataset class for S4, MS3 and AVSS (the subset is data: `ccformer.data.layouts.LAYOUTS`).

A sample is a dict (see `AVSDataset.__getitem__`); the default collate turns it into a batch dict with a leading
batch dimension. Frames are resized to `size` x `size` (bilinear; masks nearest) and ImageNet-normalised; `size`
comes from the config and is always applied. AVSS clips shorter than T (v1s/v1m: 5 frames) are zero-padded to
T = 10 with `valid` False on the padding, as in AVSBench-semantic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from ccformer.avss import palette
from ccformer.data.audio import load_log_mel_pkl, load_wav_log_mel
from ccformer.data.layouts import LAYOUTS, DataLayoutError, VideoRecord, read_index, resolve_root

MEAN = (0.485, 0.456, 0.406)
STD = (0.229, 0.224, 0.225)
AUDIO_SOURCES = ("auto", "pkl", "wav")


def rgb_to_class(rgb: np.ndarray) -> np.ndarray:
    """Colour mask [H,W,3] uint8 -> class indices [H,W] uint8 by exact palette match (unmatched -> 0)."""
    codes = np.array([(r << 16) | (g << 8) | b for r, g, b in palette()], dtype=np.int64)
    order = np.argsort(codes)
    rgb = rgb.astype(np.int64)
    value = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    pos = np.clip(np.searchsorted(codes[order], value), 0, len(codes) - 1)
    return np.where(codes[order][pos] == value, order[pos], 0).astype(np.uint8)


class AVSDataset(Dataset):
    """Clips of one AVSBench subset and split.

    Args:
        task: "s4" | "ms3" | "avss".
        root: the subset folder (`Single-source/`, `Multi-sources/`, the AVSS folder) or its parent.
        split: "train" | "val" | "test".
        size: square input size in pixels (224 in every published result).
        audio: "pkl" (published log-mel tensors; S4/MS3), "wav" (our VGGish front end) or "auto"
            (pkl where the layout has it, else wav).
        check_files: "all" stats every file up front so a wrong layout fails at once, naming the file;
            "first" checks the first clip only; "none" defers to loading time.
    """

    def __init__(self, task: str, root: str | Path, split: str, *, size: int = 224, audio: str = "auto",
                 check_files: str = "all") -> None:
        if task not in LAYOUTS:
            raise ValueError(f"unknown task {task!r} (expected one of {sorted(LAYOUTS)})")
        if audio not in AUDIO_SOURCES:
            raise ValueError(f"data.audio must be one of {AUDIO_SOURCES}, got {audio!r}")
        if not isinstance(size, int) or size < 8:
            raise ValueError(f"data.size must be an int >= 8, got {size!r}")
        self.task, self.split, self.size = task, split, size
        self.layout = LAYOUTS[task]
        if audio == "pkl" and self.layout.log_mel is None:
            raise ValueError(f"data.audio=pkl: the {task} layout has no .pkl log-mel files; use wav")
        self.audio = ("pkl" if self.layout.log_mel else "wav") if audio == "auto" else audio
        self.root = resolve_root(task, root)
        self.records = read_index(task, self.root, split)
        if not self.records:
            raise DataLayoutError(f"{self.root / self.layout.meta}: no rows with split '{split}'")
        if check_files != "none":
            for rec in self.records if check_files == "all" else self.records[:1]:
                for path in self.files(rec):
                    if not path.is_file():
                        raise DataLayoutError(f"missing file {path} (clip {rec.name}, {task} {split})")
        self.frames_per_clip = self.layout.frames_per_clip
        self.num_classes = self.layout.num_classes

    def __len__(self) -> int:
        return len(self.records)

    def _p(self, rec: VideoRecord, template: str, frame: int | None = None) -> Path:
        return rec.path(self.root, template, frame, self.layout.first_index)

    def mask_path(self, rec: VideoRecord, frame: int) -> Path:
        """The class-index (or binary) mask if present, else (AVSS) the colour mask."""
        path = self._p(rec, self.layout.mask, frame)
        if self.layout.mask_rgb and not path.is_file():
            return self._p(rec, self.layout.mask_rgb, frame)
        return path

    def files(self, rec: VideoRecord) -> list[Path]:
        """Every file a clip needs (what `check_files` verifies)."""
        paths = [self._p(rec, self.layout.frame, k) for k in range(rec.num_frames)]
        paths += [self.mask_path(rec, k) for k in rec.gt_frames]
        paths.append(self._p(rec, self.layout.log_mel if self.audio == "pkl" else self.layout.wav))
        return paths

    def _image(self, path: Path) -> torch.Tensor:
        try:
            img = Image.open(path).convert("RGB")
        except (OSError, ValueError) as err:
            raise DataLayoutError(f"cannot read image {path} ({err})") from err
        if img.size != (self.size, self.size):
            img = img.resize((self.size, self.size), Image.BILINEAR)
        x = torch.from_numpy(np.asarray(img, dtype=np.float32) / 255.0).permute(2, 0, 1)
        return (x - torch.tensor(MEAN).view(3, 1, 1)) / torch.tensor(STD).view(3, 1, 1)

    def _mask(self, path: Path) -> torch.Tensor:
        try:
            img = Image.open(path)
            img.load()
        except (OSError, ValueError) as err:
            raise DataLayoutError(f"cannot read mask {path} ({err})") from err
        if self.num_classes == 1:  # binary: 0 background, 255 object
            arr = (np.asarray(img.convert("L")) > 127).astype(np.uint8)
        elif path.parent.name == "labels_rgb":
            arr = rgb_to_class(np.asarray(img.convert("RGB")))
        else:  # class-index PNG (mode L or P); values >= C become 255 = ignored
            arr = np.asarray(img if img.mode in ("L", "P") else img.convert("L")).astype(np.int64)
            arr = np.where(arr < self.num_classes, arr, 255).astype(np.uint8)
        out = Image.fromarray(arr)
        if out.size != (self.size, self.size):
            out = out.resize((self.size, self.size), Image.NEAREST)
        return torch.from_numpy(np.asarray(out).astype(np.int64))

    def __getitem__(self, index: int) -> dict[str, object]:
        """Returns `frames` [T,3,S,S] float, `audio` [T,1,96,64] float, `masks` [T,S,S] int64 (0/1, or class
        indices with 255 = ignore), `valid` [T] bool (real frame, not padding), `gt_valid` [T] bool (frame has
        a label), `index` (position in the split), `video` (clip name)."""
        rec = self.records[index]
        T, S = self.frames_per_clip, self.size
        frames = torch.zeros(T, 3, S, S)
        masks = torch.zeros(T, S, S, dtype=torch.int64)
        valid = torch.zeros(T, dtype=torch.bool)
        gt_valid = torch.zeros(T, dtype=torch.bool)
        for k in range(rec.num_frames):
            frames[k] = self._image(self._p(rec, self.layout.frame, k))
            valid[k] = True
        for k in rec.gt_frames:
            masks[k] = self._mask(self.mask_path(rec, k))
            gt_valid[k] = True
        if self.audio == "pkl":
            audio = load_log_mel_pkl(self._p(rec, self.layout.log_mel), T)
        else:
            audio, _ = load_wav_log_mel(self._p(rec, self.layout.wav), T, self.layout.audio_pad)
        if self.layout.audio_pad == "zero":
            audio = audio * valid.view(T, 1, 1, 1).to(audio.dtype)
        return {"frames": frames, "audio": audio, "masks": masks, "valid": valid, "gt_valid": gt_valid,
                "index": index, "video": rec.name}
