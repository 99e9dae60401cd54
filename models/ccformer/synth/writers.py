"""Write generated clips in the published AVSBench on-disk layouts (see ../shared/reference/avsbench.md).

S4 goes under `Single-source/`, MS3 under `Multi-sources/`, AVSS under `AVSBench-semantic/` (label folder `v2`),
so `ccformer.data` reads a synthetic root exactly like a downloaded one. Every file is written with a
deterministic encoder (PNG, fixed-quality JPEG, PCM-16 WAV, and a pickle whose tensor payload is a `torch.save`
zip, which unlike torch's default tensor pickle carries no memory addresses): the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import pickle
from pathlib import Path

import numpy as np
import soundfile as sf
from PIL import Image

from ccformer.avss import label2idx, palette
from ccformer.synth.clip import Clip
from ccformer.synth.sound import SR

SUBSET_DIRS: dict[str, str] = {"s4": "Single-source", "ms3": "Multi-sources", "avss": "AVSBench-semantic"}
META_FILES: dict[str, str] = {"s4": "s4_meta_data.csv", "ms3": "ms3_meta_data.csv", "avss": "metadata.csv"}
META_HEADERS: dict[str, list[str]] = {
    "s4": ["name", "start_time", "category", "split"],
    "ms3": ["video_id", "split"],
    "avss": ["vid", "uid", "s_min", "s_sec", "a_obj", "split", "label"],
}
AVSS_LABEL = "v2"
JPEG_QUALITY = 95
_PALETTE = np.array(palette(), dtype=np.uint8)


class _PickledTensor:
    """Unpickles to a torch tensor via `torch.storage._load_from_bytes` (what torch's own pickles use)."""

    def __init__(self, payload: bytes) -> None:
        self.payload = payload

    def __reduce__(self) -> tuple[object, tuple[bytes]]:
        import torch

        return (torch.storage._load_from_bytes, (self.payload,))


def log_mel_pickle(wave: np.ndarray, seconds: int) -> bytes:
    """The published `audio_log_mel/*.pkl` content: a float32 tensor [T,1,96,64] (S4/MS3 repeat-pad)."""
    import torch

    from ccformer.audio.logmel import clip_examples, waveform_to_examples

    mel, _ = clip_examples(waveform_to_examples(wave, SR), seconds, "repeat")
    buf = io.BytesIO()
    torch.save(torch.from_numpy(np.ascontiguousarray(mel, dtype=np.float32)), buf)
    return pickle.dumps(_PickledTensor(buf.getvalue()), protocol=4)


def _png(path: Path, array: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, format="PNG")


def _wav(path: Path, wave: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), wave, SR, subtype="PCM_16", format="WAV")


def subset_root(task: str, out: Path) -> Path:
    """Where `task`'s files go below the output folder (the published top-level folder name)."""
    return Path(out) / SUBSET_DIRS[task]


def write_clip(clip: Clip, out: Path, split: str) -> list[str]:
    """Write one clip's files below `out`; returns its metadata CSV row."""
    root = subset_root(clip.task, out)
    name = clip.uid
    if clip.task == "s4":
        category = clip.sounding(0)[0]
        base = f"s4_data/{{}}/{split}/{category}"
        gt = clip.binary_masks
        for k in range(clip.seconds):
            _png(root / base.format("visual_frames") / name / f"{name}_{k + 1}.png", clip.frames[k])
            if split != "train" or k == 0:  # published S4 train split annotates frame 1 only
                _png(root / base.format("gt_masks") / name / f"{name}_{k + 1}.png", gt[k])
        (root / base.format("audio_log_mel")).mkdir(parents=True, exist_ok=True)
        (root / base.format("audio_log_mel") / f"{name}.pkl").write_bytes(log_mel_pickle(clip.waveform, clip.seconds))
        _wav(root / base.format("audio_wav") / f"{name}.wav", clip.waveform)
        return [name, "0", category, split]
    if clip.task == "ms3":
        gt = clip.binary_masks
        for k in range(clip.seconds):
            _png(root / "ms3_data/visual_frames" / name / f"{name}.mp4_{k + 1}.png", clip.frames[k])
            _png(root / "ms3_data/gt_masks" / split / name / f"{name}_{k + 1}.png", gt[k])
        mel_dir = root / "ms3_data/audio_log_mel" / split
        mel_dir.mkdir(parents=True, exist_ok=True)
        (mel_dir / f"{name}.pkl").write_bytes(log_mel_pickle(clip.waveform, clip.seconds))
        _wav(root / "ms3_data/audio_wav" / split / f"{name}.wav", clip.waveform)
        return [name, split]
    folder = root / AVSS_LABEL / name
    (folder / "frames").mkdir(parents=True, exist_ok=True)
    semantic = clip.masks
    for k in range(clip.seconds):
        Image.fromarray(clip.frames[k]).save(folder / "frames" / f"{k}.jpg", format="JPEG", quality=JPEG_QUALITY)
        _png(folder / "labels_rgb" / f"{k}.png", _PALETTE[semantic[k]])
        _png(folder / "labels_semantic" / f"{k}.png", semantic[k])
    _wav(folder / "audio.wav", clip.waveform)
    return [clip.vid, name, "0", "0", clip.a_obj, split, AVSS_LABEL]


def write_metadata(task: str, out: Path, rows: list[list[str]]) -> Path:
    """Write the subset's metadata CSV (header + rows) and, for AVSS, `label2idx.json`."""
    root = subset_root(task, out)
    root.mkdir(parents=True, exist_ok=True)
    path = root / META_FILES[task]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(META_HEADERS[task])
        writer.writerows(rows)
    if task == "avss":
        (root / "label2idx.json").write_text(json.dumps(label2idx(), indent=2) + "\n", encoding="utf-8")
    return path


def clip_manifest(clip: Clip, split: str) -> dict[str, object]:
    """Generator-side truth for one clip (not part of the published layout): classes and sounding schedule."""
    return {
        "uid": clip.uid, "split": split, "seed": clip.seed, "scene": clip.seed // 2,
        "classes": clip.class_names, "schedule": clip.schedule.astype(int).tolist(),
    }


def write_manifest(task: str, out: Path, info: dict[str, object], clips: list[dict[str, object]]) -> Path:
    """`synth_manifest.json` beside the metadata CSV: generator settings plus every clip's schedule."""
    path = subset_root(task, out) / "synth_manifest.json"
    path.write_text(json.dumps({**info, "clips": clips}, indent=1) + "\n", encoding="utf-8")
    return path
