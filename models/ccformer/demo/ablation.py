"""Audio ablations of a trained checkpoint: the same model and clips, with the audio swapped, silent or zeroed.

Why: a segmentation score alone cannot tell whether CCFormer listens. If it does, giving each clip another clip's
audio must move the masks to whatever that audio says (mIoU against the clip's own ground truth drops), and
silence must empty them. Metrics are the project's (`ccformer.metrics.SemanticMeter` / `BinaryMeter` through
`ccformer.engine.loops.evaluate`), so the numbers are comparable with `ccformer evaluate`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch.utils.data import DataLoader

from ccformer.data import AVSDataset
from ccformer.data.views import AUDIO_MODES, AudioOverride, CachedClips

HEADLINE = ("miou", "miou_present", "fscore", "fscore_present", "miou_no_bg", "classes_present", "frames")


def load_model(checkpoint: str | Path) -> tuple[torch.nn.Module, dict[str, Any]]:
    """(model in eval mode, checkpoint dict); ValueError naming the file when it is not a CCFormer checkpoint."""
    from ccformer.model.registry import model_from_checkpoint

    return model_from_checkpoint(checkpoint)


def checkpoint_size(ckpt: dict[str, Any], model: torch.nn.Module) -> int:
    """The input size the checkpoint was trained at (its data.size, else the model's input_size)."""
    data = (ckpt.get("config") or {}).get("data") or {}
    return int(data.get("size") or model.config.input_size)


def evaluate_modes(model: torch.nn.Module, dataset: Any, modes: list[str], *, seed: int = 0,
                   batch_size: int = 2, fscore_batch_size: int = 4) -> dict[str, dict[str, Any]]:
    """Metrics of `model` on `dataset` under each audio mode (see `ccformer.data.views`); headline keys only."""
    from ccformer.engine.loops import evaluate

    unknown = [m for m in modes if m not in AUDIO_MODES]
    if unknown:
        raise ValueError(f"unknown audio mode(s) {unknown}; choose from {AUDIO_MODES}")
    task = model.config.task
    cached = dataset if isinstance(dataset, CachedClips) else CachedClips(dataset)
    out: dict[str, dict[str, Any]] = {}
    for mode in modes:
        view = AudioOverride(cached, mode, seed=seed)
        loader = DataLoader(view, batch_size=batch_size, shuffle=False, num_workers=0)
        metrics = evaluate(model, loader, task=task, num_videos=len(view), fscore_batch_size=fscore_batch_size,
                           device=torch.device("cpu"))
        out[mode] = {k: metrics[k] for k in HEADLINE if k in metrics}
    return out


def with_drops(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Adds `drop_<mode>_<metric>` = clean - ablated for mIoU (present-class and official) when `none` was run."""
    flat: dict[str, Any] = dict(results)
    clean = results.get("none")
    if clean is None:
        return flat
    drops: dict[str, float] = {}
    for mode, metrics in results.items():
        if mode == "none":
            continue
        for key in ("miou_present", "miou"):
            if key in metrics and key in clean:
                drops[f"{mode}_{key}"] = float(clean[key]) - float(metrics[key])
    flat["drops"] = drops
    return flat


def ablate_checkpoint(checkpoint: str | Path, data_root: str | Path, *, split: str = "test",
                      modes: list[str] | None = None, seed: int = 0, batch_size: int = 2) -> dict[str, Any]:
    """Load `checkpoint`, read `split` of the AVSBench-layout `data_root` at the checkpoint's input size, and
    evaluate every mode in `modes` (default: none, swap, silent)."""
    model, ckpt = load_model(checkpoint)
    size = checkpoint_size(ckpt, model)
    dataset = AVSDataset(model.config.task, data_root, split, size=size)
    modes = modes or ["none", "swap", "silent"]
    results = evaluate_modes(model, dataset, modes, seed=seed, batch_size=batch_size)
    trained_on = ((ckpt.get("config") or {}).get("data") or {}).get("audio_override", "none")
    info = {"checkpoint": str(checkpoint), "split": split, "clips": len(dataset), "size": size,
            "swap_seed": seed, "train_audio_override": trained_on}
    return {"info": info, **with_drops(results)}


def visual_oracle(seeds: list[int], size: int, task: str = "avss") -> dict[str, Any]:
    """What pixels alone can get: predict *every visible object* with its true class (generator ground truth,
    so segmentation itself is perfect). A model that cannot hear can at best choose per object whether to mark
    it; marking all visible objects is that choice's natural upper reference, and it misses exactly because
    silent distractors are present. Headline metrics over the clips of `seeds`."""
    from ccformer.metrics import SemanticMeter
    from ccformer.synth import generate_clip

    meter = SemanticMeter()
    for seed in seeds:
        clip = generate_clip(task, seed, size)
        lut = torch.zeros(len(clip.scene.objects) + 1, dtype=torch.long)
        lut[1:] = torch.from_numpy(clip.class_ids.astype("int64"))
        pred = lut[torch.from_numpy(clip.instances.astype("int64"))]
        meter.update(pred, torch.from_numpy(clip.masks.astype("int64")))
    metrics = meter.compute()
    return {k: metrics[k] for k in HEADLINE if k in metrics}
