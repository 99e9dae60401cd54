"""Clip audio as VGGish log-mel examples [T,1,96,64]: from the published .pkl tensors or from the clip's wav.

S4/MS3 ship `audio_log_mel/*.pkl` (a float tensor [5,1,96,64] written with `pickle.dump`); AVSS ships only
`audio.wav`. Computing from wav uses our VGGish front end (`ccformer.audio.logmel`, helper H1), with the
subset's padding rule: S4/MS3 repeat the last example up to T, AVSS zero-pads (and flags the padded seconds).
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path

import numpy as np
import torch

from ccformer.data.layouts import DataLayoutError


def _safe_load_from_bytes(data: bytes) -> object:
    """Replacement for torch.storage._load_from_bytes that refuses code objects (weights_only)."""
    return torch.load(io.BytesIO(data), weights_only=True)


class _TensorUnpickler(pickle.Unpickler):
    """Unpickles plain tensors / numpy arrays only: a .pkl from the internet must not run code."""

    ALLOWED = {
        ("torch._utils", "_rebuild_tensor_v2"), ("torch._utils", "_rebuild_tensor"),
        ("collections", "OrderedDict"), ("numpy", "ndarray"), ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
        ("torch", "FloatStorage"),
    }

    def find_class(self, module: str, name: str) -> object:
        if (module, name) == ("torch.storage", "_load_from_bytes"):
            return _safe_load_from_bytes
        if (module, name) in self.ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}")


def load_log_mel_pkl(path: Path, num_seconds: int) -> torch.Tensor:
    """The published log-mel tensor as float32 [T,1,96,64] (repeating the last second if shorter)."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
        if magic == b"PK\x03\x04":  # also accept files written with torch.save (a zip archive)
            obj = torch.load(path, weights_only=True)
        else:
            with path.open("rb") as fh:
                obj = _TensorUnpickler(fh).load()
    except (pickle.UnpicklingError, EOFError, OSError, RuntimeError) as err:
        raise DataLayoutError(f"{path}: not a pickled log-mel tensor ({err})") from err
    mel = torch.as_tensor(np.asarray(obj) if not isinstance(obj, torch.Tensor) else obj).detach().float()
    if mel.dim() == 3:
        mel = mel.unsqueeze(1)
    if mel.dim() != 4 or tuple(mel.shape[1:]) != (1, 96, 64) or mel.shape[0] == 0:
        raise DataLayoutError(f"{path}: log-mel shape {tuple(mel.shape)}, expected [T,1,96,64]")
    if mel.shape[0] < num_seconds:
        mel = torch.cat([mel, mel[-1:].expand(num_seconds - mel.shape[0], -1, -1, -1)])
    return mel[:num_seconds].contiguous()


def load_wav_log_mel(path: Path, num_seconds: int, pad: str) -> tuple[torch.Tensor, torch.Tensor]:
    """Log-mel examples [T,1,96,64] and their validity [T] computed from a wav (any rate, mixed to mono)."""
    import soundfile as sf

    from ccformer.audio.logmel import clip_examples, waveform_to_examples

    try:
        wave, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as err:  # soundfile raises its own LibsndfileError
        raise DataLayoutError(f"{path}: cannot read audio ({err})") from err
    examples = waveform_to_examples(wave.mean(axis=1), int(rate))
    mel, valid = clip_examples(examples, num_seconds, pad)
    return torch.from_numpy(np.ascontiguousarray(mel, dtype=np.float32)), torch.from_numpy(np.asarray(valid, bool))
