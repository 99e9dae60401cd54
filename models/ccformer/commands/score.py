"""`ccformer score`: AVSBench metrics for saved predictions (.npy), without a model.

    python -m ccformer score --task s4 --pred PRED.npy --gt GT.npy [--batch-size 4]

PRED: logits [N,H,W] (s4/ms3) or [N,71,H,W] (avss; class maps [N,H,W] of integers are accepted too).
GT: [N,H,W], {0,1} (or 0/255) for s4/ms3, class indices for avss. Frames in order, grouped into videos of 5
(s4/ms3) or 10 (avss) frames; --batch-size is the F-score's batch in videos (AVSBench 4). Prints JSON.
Arrays are memory-mapped and scored a few videos at a time, so test-set sized files are fine.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ccformer.cli import CommandError

HELP = "score saved predictions (.npy) with the AVSBench mIoU / F definitions; prints JSON"


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Task, prediction and GT arrays, metric batch size."""
    p.add_argument("--task", required=True, choices=("s4", "ms3", "avss"))
    p.add_argument("--pred", required=True, help="predictions .npy (logits)")
    p.add_argument("--gt", required=True, help="ground truth .npy")
    p.add_argument("--batch-size", type=int, default=4, help="F-score batch, in videos (default 4 = AVSBench)")
    p.add_argument("--frames-per-video", type=int, help="default 5 (s4/ms3) or 10 (avss)")
    p.add_argument("--per-class", action="store_true", help="include AVSS per-class lists")


def _load(path: str, what: str):  # type: ignore[no-untyped-def]
    import numpy as np

    if not Path(path).is_file():
        raise CommandError(f"{what} file {path} not found")
    try:
        return np.load(path, mmap_mode="r", allow_pickle=False)
    except (ValueError, OSError) as err:
        raise CommandError(f"{path}: not a .npy array ({err})") from err


def run(args: argparse.Namespace) -> int:
    """Validate shapes, accumulate per chunk of videos, print the metrics."""
    import numpy as np
    import torch

    from ccformer.metrics import BinaryMeter, SemanticMeter

    pred, gt = _load(args.pred, "prediction"), _load(args.gt, "ground-truth")
    t = args.frames_per_video or (10 if args.task == "avss" else 5)
    semantic = args.task == "avss"
    if gt.ndim != 3:
        raise CommandError(f"{args.gt}: GT must be [N,H,W], got shape {gt.shape}")
    want = "[N,71,H,W] (or [N,H,W] class indices)" if semantic else "[N,H,W]"
    ok = pred.shape[0] == gt.shape[0] and pred.shape[-2:] == gt.shape[-2:] and (
        pred.ndim == 3 if not semantic else pred.ndim in (3, 4))
    if not ok:
        raise CommandError(f"{args.pred}: shape {pred.shape} does not fit GT {gt.shape} (expected {want})")
    n = gt.shape[0]
    if n == 0 or n % t:
        raise CommandError(f"{n} frames are not whole videos of {t} frames (--frames-per-video)")
    if args.batch_size < 1:
        raise CommandError("--batch-size must be >= 1")
    videos = n // t
    meter = SemanticMeter() if semantic else BinaryMeter(videos, batch_size=args.batch_size)
    chunk = 4 * t
    for s in range(0, n, chunk):
        p = torch.from_numpy(np.array(pred[s:s + chunk]))
        g = torch.from_numpy(np.array(gt[s:s + chunk])).long()
        if isinstance(meter, SemanticMeter):
            meter.update(p if p.dim() == 4 else p.long(), g)
        else:
            meter.update(p.float(), g, torch.arange(s, s + p.shape[0]) // t)
    metrics = meter.compute()
    if not args.per_class:
        metrics = {k: v for k, v in metrics.items() if not isinstance(v, list)}
    print(json.dumps({"task": args.task, "videos": videos, "frames_per_video": t, **metrics}))
    return 0
