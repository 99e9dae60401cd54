"""AVSS (71-class) mIoU and F exactly as the AVSBench-semantic reference (`_batch_miou_fscore`) computes them.

Not confusion-matrix based: per frame and class, iou_c = inter / (union + 2.22e-16) and F_c with beta^2 = 0.3
(no eps, NaN -> 0); a class counts for a frame when its union > 0. Per-class value = sum / count over all scored
frames (AVSBench includes the zero-padded frames of v1s/v1m clips), a class never counted scores 0, and the
headline mIoU / F is the mean over all 71 classes, background included. `*_no_bg` drops class 0 (background):
the reference's own "no background" mean drops class 70 instead, a bug we do not copy.
"""

from __future__ import annotations

import torch

from ccformer.avss import NUM_AVSS_CLASSES
from ccformer.metrics.reduce import SumMeter

BETA2 = 0.3
UNION_EPS = 2.220446049250313e-16


def frame_class_stats(pred: torch.Tensor, gt: torch.Tensor, num_classes: int) -> tuple[torch.Tensor, ...]:
    """Per-frame per-class (inter, pred count, GT count), each [F,C] float64, from class maps [F,H,W].

    GT values outside [0, C) (e.g. 255 "ignore") are left out of every count, and so are predictions there.
    """
    n = pred.shape[0]
    pred = pred.long().flatten(1)
    gt = gt.long().flatten(1)
    keep = (gt >= 0) & (gt < num_classes)
    offs = (torch.arange(n, device=pred.device) * num_classes).unsqueeze(1)
    size = n * num_classes

    def count(values: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return torch.bincount((values + offs)[mask], minlength=size).view(n, num_classes).double()

    inter = count(gt, keep & (pred == gt))
    pred_count = count(pred, keep)
    gt_count = count(gt, keep)
    return inter, pred_count, gt_count


class SemanticMeter(SumMeter):
    """Accumulates per-class IoU / F sums and counts over AVSS frames.

    Reported keys: miou, fscore (AVSBench headline, 71 classes incl. background); miou_no_bg, fscore_no_bg
    (classes 1..70); miou_present, fscore_present (mean over classes that appear in some scored GT frame);
    per_class_iou, per_class_fscore (lists of 71); frames.
    """

    def __init__(self, num_classes: int = NUM_AVSS_CLASSES) -> None:
        self.num_classes = num_classes
        dd = torch.float64
        self.iou_sum = torch.zeros(num_classes, dtype=dd)
        self.f_sum = torch.zeros(num_classes, dtype=dd)
        self.count = torch.zeros(num_classes, dtype=dd)
        self.gt_frames = torch.zeros(num_classes, dtype=dd)
        self.frames = torch.zeros((), dtype=dd)

    def update(self, pred: torch.Tensor, gt: torch.Tensor) -> None:
        """Add frames: `pred` class indices [F,H,W] (or logits [F,C,H,W], argmax taken), `gt` [F,H,W]."""
        if pred.dim() == 4:
            pred = pred.argmax(1)
        if pred.shape[0] == 0:
            return
        inter, p, g = frame_class_stats(pred, gt, self.num_classes)
        union = p + g - inter
        iou = inter / (union + UNION_EPS)
        prec = inter / p
        rec = inter / g
        f = torch.nan_to_num((1 + BETA2) * prec * rec / (BETA2 * prec + rec), nan=0.0)
        self.iou_sum += iou.sum(0).cpu()
        self.f_sum += f.sum(0).cpu()
        self.count += (union > 0).double().sum(0).cpu()
        self.gt_frames += (g > 0).double().sum(0).cpu()
        self.frames += pred.shape[0]

    def state(self) -> list[torch.Tensor]:
        """The sum tensors, in a fixed order (what `all_reduce` adds across ranks)."""
        return [self.iou_sum, self.f_sum, self.count, self.gt_frames, self.frames]

    def compute(self) -> dict[str, float | int | list[float]]:
        """The metrics as plain Python values."""
        denom = self.count.clamp(min=1)
        iou = torch.where(self.count > 0, self.iou_sum / denom, torch.zeros_like(denom))
        f = torch.where(self.count > 0, self.f_sum / denom, torch.zeros_like(denom))
        present = self.gt_frames > 0

        def mean(x: torch.Tensor) -> float:
            return float(x.mean()) if x.numel() else 0.0

        return {
            "miou": mean(iou),
            "fscore": mean(f),
            "miou_no_bg": mean(iou[1:]),
            "fscore_no_bg": mean(f[1:]),
            "miou_present": mean(iou[present]),
            "fscore_present": mean(f[present]),
            "classes_present": int(present.sum()),
            "frames": int(self.frames),
            "per_class_iou": [float(v) for v in iou],
            "per_class_fscore": [float(v) for v in f],
        }
