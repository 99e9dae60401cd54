"""`python -m ccformer add-logmel DATASET`: the pickled VGGish log-mel tensors of an S4 or MS3 export.

The app writes the published AVSBench v1 layouts from TypeScript, but `audio_log_mel/**/*.pkl` are pickled
torch tensors, which need Python: this command fills them in. For every `{s4_data|ms3_data}/audio_wav/**/X.wav`
it writes `.../audio_log_mel/**/X.pkl` = float32 tensor [5, 1, 96, 64] (VGGish examples of the 16 kHz audio,
repeat-padded to 5 as the S4/MS3 loaders expect; see ccformer.audio.logmel). Existing files are kept unless
--force; each file is written to a temp name and renamed, so an interrupted run leaves no half file.
"""

from __future__ import annotations

import argparse
import os
import pickle
import wave
from pathlib import Path

import numpy as np
import torch

from ccformer.audio.logmel import SAMPLE_RATE, clip_examples, waveform_to_examples
from ccformer.cli import CommandError

HELP = "write the pickled log-mel tensors (audio_log_mel/*.pkl) of an S4 or MS3 dataset exported by the app"
SECONDS = 5


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("dataset", type=Path, help="S4 (s4_meta_data.csv) or MS3 (ms3_meta_data.csv) dataset folder")
    p.add_argument("--force", action="store_true", help="rewrite .pkl files that already exist")


def read_wav(path: Path) -> np.ndarray:
    """16 kHz mono PCM16 WAV (what the app writes) -> float64 samples in [-1, 1]."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2 or w.getnchannels() != 1 or w.getframerate() != SAMPLE_RATE:
                raise CommandError(f"{path}: expected 16 kHz mono PCM16 audio")
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    except (wave.Error, EOFError) as err:
        raise CommandError(f"{path}: not a readable WAV file ({err})") from err
    return data.astype(np.float64) / 32768.0


def logmel_tensor(samples: np.ndarray) -> torch.Tensor:
    examples, _ = clip_examples(waveform_to_examples(samples), SECONDS, pad="repeat")
    return torch.from_numpy(examples)


def write_pickle(tensor: torch.Tensor, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            pickle.dump(tensor, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    root: Path = args.dataset
    data = next((root / d for d in ("s4_data", "ms3_data") if (root / d / "audio_wav").is_dir()), None)
    if data is None:
        raise CommandError(f"{root}: not an S4 or MS3 dataset (no s4_data/audio_wav or ms3_data/audio_wav folder)")
    written = kept = 0
    for wav in sorted((data / "audio_wav").rglob("*.wav")):
        dest = data / "audio_log_mel" / wav.relative_to(data / "audio_wav").with_suffix(".pkl")
        if dest.exists() and not args.force:
            kept += 1
            continue
        write_pickle(logmel_tensor(read_wav(wav)), dest)
        written += 1
    print(f"{root}: wrote {written} log-mel tensor(s) [5,1,96,64], kept {kept} existing")
    return 0
