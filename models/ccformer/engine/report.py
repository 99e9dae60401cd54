"""Evaluation outputs: AVSBench-style PNG predictions and a summary (metrics.json + summary.md).

PNG layout follows `Layout.pred_png` (S4 `{category}/{video}/{video}_{i}.png`, MS3 `{video}/{video}_{i}.png`,
1-based, binary 0/255 like AVSBench's saved masks; AVSS `{label}/{uid}/{k}.png`, palette PNGs whose pixel values
are class indices and whose colours are the AVSS palette). Padded AVSS frames are not written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image

from ccformer.avss import AVSS_CLASSES, palette
from ccformer.data import AVSDataset


class PngWriter:
    """`on_batch` callback for `evaluate` that writes each clip's predicted masks under `out_dir`."""

    def __init__(self, dataset: AVSDataset, out_dir: Path) -> None:
        self.dataset, self.out_dir = dataset, out_dir
        self.flat_palette = [c for rgb in palette() for c in rgb]

    def __call__(self, batch: dict[str, Any], logits: torch.Tensor) -> None:
        layout = self.dataset.layout
        if layout.num_classes == 1:
            masks = (torch.sigmoid(logits[:, :, 0]) > 0.5).to(torch.uint8).mul(255).cpu().numpy()
        else:
            masks = logits.argmax(2).to(torch.uint8).cpu().numpy()
        for b, index in enumerate(torch.as_tensor(batch["index"]).tolist()):
            rec = self.dataset.records[index]
            for k in range(rec.num_frames):
                path = rec.path(self.out_dir, layout.pred_png, k, layout.first_index)
                path.parent.mkdir(parents=True, exist_ok=True)
                img = Image.fromarray(np.ascontiguousarray(masks[b, k]))
                if layout.num_classes > 1:
                    img.putpalette(self.flat_palette)  # L -> P: pixel values stay the class indices
                img.save(path)


def _fmt(value: Any) -> str:
    return f"{value:.4f}" if isinstance(value, float) else str(value)


def summary_markdown(metrics: dict[str, Any], meta: dict[str, Any]) -> str:
    """A markdown table of the headline metrics (percent, as papers report them), then the per-class table."""
    lines = [f"# CCFormer evaluation: {meta.get('task', '?')} {meta.get('split', '')}", ""]
    lines += [f"- {k}: {v}" for k, v in meta.items()]
    lines += ["", "| metric | value | x100 |", "|---|---|---|"]
    for key, value in metrics.items():
        if isinstance(value, float):
            lines.append(f"| {key} | {value:.4f} | {100 * value:.2f} |")
        elif not isinstance(value, list):
            lines.append(f"| {key} | {_fmt(value)} | |")
    if "per_class_iou" in metrics:
        lines += ["", "| class | IoU | F |", "|---|---|---|"]
        for name, iou, f in zip(AVSS_CLASSES, metrics["per_class_iou"], metrics["per_class_fscore"], strict=True):
            lines.append(f"| {name} | {iou:.4f} | {f:.4f} |")
    if "fscore_batch_size" in metrics:
        lines += ["", f"F (`fscore`) uses AVSBench's batch-mean curve over {metrics['fscore_batch_size']} videos "
                      "per batch; it changes with that batch size. `fscore_frame` / `fscore_dataset` do not."]
    return "\n".join(lines) + "\n"


def write_summary(out_dir: Path, metrics: dict[str, Any], meta: dict[str, Any]) -> None:
    """Write `metrics.json` ({"meta": .., "metrics": ..}) and `summary.md` into `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "metrics.json").write_text(json.dumps({"meta": meta, "metrics": metrics}, indent=2) + "\n")
    (out_dir / "summary.md").write_text(summary_markdown(metrics, meta), encoding="utf-8")
