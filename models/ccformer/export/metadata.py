"""metadata_props of an exported model: exactly the keys of src-main/shared/onnx-contract.ts `METADATA_KEYS`.

Every value is a string (ONNX metadata is a string map); lists are JSON. docs/model-contract.md explains how the
app uses each key.
"""

from __future__ import annotations

import json
from importlib import metadata as importlib_metadata

from ccformer.avss import AVSS_CLASSES
from ccformer.model.config import TASKS, task_frames_per_clip

MODEL_NAME = "CCFormer"
SAMPLE_RATE = 16000
BINARY_CLASSES = ("sounding",)
# contract name -> metadata key (mirror of METADATA_KEYS in onnx-contract.ts; a test checks they agree)
METADATA_KEYS: dict[str, str] = {
    "task": "task",
    "classes": "classes",
    "inputSize": "input_size",
    "framesPerClip": "frames_per_clip",
    "mean": "mean",
    "std": "std",
    "sampleRate": "sample_rate",
    "model": "model",
    "variant": "variant",
    "version": "version",
    "trainingData": "training_data",
}
UNTRAINED = "none: random initialisation (untrained weights, for testing the pipeline only)"


def package_version() -> str:
    """Installed version of the `ccformer` package (pyproject), or 0.0.0 when running from a bare checkout."""
    try:
        return importlib_metadata.version("ccformer")
    except importlib_metadata.PackageNotFoundError:
        return "0.0.0"


def task_classes(task: str, num_classes: int) -> list[str]:
    """Class names, index = logits channel: the 71 AVSS names, or one binary name."""
    if task == "avss":
        if num_classes != len(AVSS_CLASSES):
            raise ValueError(f"AVSS models have {len(AVSS_CLASSES)} classes, this one has {num_classes}")
        return list(AVSS_CLASSES)
    return list(BINARY_CLASSES)


def build_metadata(*, task: str, variant: str, input_size: tuple[int, int], num_classes: int,
                   frames_per_clip: int | None = None, mean: tuple[float, ...] = (0.485, 0.456, 0.406),
                   std: tuple[float, ...] = (0.229, 0.224, 0.225), version: str | None = None,
                   training_data: str | None = None, model: str = MODEL_NAME) -> dict[str, str]:
    """All contract keys as strings, e.g. input_size '[224, 224]', classes '["sounding"]', sample_rate '16000'."""
    if task not in TASKS:
        raise ValueError(f"task must be one of {TASKS}, got {task!r}")
    values = {
        "task": task,
        "classes": json.dumps(task_classes(task, num_classes)),
        "input_size": json.dumps([int(input_size[0]), int(input_size[1])]),
        "frames_per_clip": str(int(frames_per_clip or task_frames_per_clip(task))),
        "mean": json.dumps([float(v) for v in mean]),
        "std": json.dumps([float(v) for v in std]),
        "sample_rate": str(SAMPLE_RATE),
        "model": model,
        "variant": variant,
        "version": version or package_version(),
        "training_data": training_data or UNTRAINED,
    }
    assert set(values) == set(METADATA_KEYS.values())
    return values


def parse_metadata(props: dict[str, str]) -> dict[str, object]:
    """Decode metadata_props the way the app does (JSON lists, integers); raises ValueError on a missing key."""
    missing = [k for k in METADATA_KEYS.values() if k != "training_data" and k not in props]
    if missing:
        raise ValueError(f"metadata is missing {', '.join(missing)}")
    out: dict[str, object] = dict(props)
    for key in ("classes", "input_size", "mean", "std"):
        out[key] = json.loads(props[key])
    for key in ("frames_per_clip", "sample_rate"):
        out[key] = int(props[key])
    return out
