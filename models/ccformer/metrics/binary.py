"""S4/MS3 metrics exactly as the AVSBench reference computes them (see ../shared/reference/avsbench.md).

Per frame: IoU with the empty-GT rule, and an F-measure curve over 255 thresholds. The published numbers are
*batch* statistics: mIoU = mean over test batches of the batch's frame-mean IoU, and F = mean over batches of
max_k(mean over the batch's non-empty-GT frames of F_k). F therefore depends on the test batch size, so the
batch grouping is a parameter (`batch_size`, in videos, default 4 as in AVSBench) and always reported.

Why sums over fixed groups: a frame's batch is `video_index // batch_size`, independent of the data loader's
batch size and of how frames are spread over DDP ranks, so every rank adds into the same [G] / [G,255] float64
tensors and one SUM all-reduce reproduces the single-process result.
"""

from __future__ import annotations

import math

import torch

from ccformer.metrics.reduce import SumMeter

NUM_THRESHOLDS = 255
BETA2 = 0.3
IOU_EPS = 1e-7
PR_EPS = 1e-20


def frame_iou(logits: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    """Per-frame IoU [F] of `sigmoid(logits) > 0.5` against binary `gt` ([F,H,W] each), AVSBench `mask_iou`.

    Empty GT frames score the fraction of pixels where both prediction and GT are background.
    """
    pred = (torch.sigmoid(logits.float()) > 0.5).float()
    target = (gt > 0).float()
    inter = (pred * target).sum((1, 2))
    union = torch.maximum(pred, target).sum((1, 2))
    empty = target.sum((1, 2)) == 0
    num_pixels = float(target.shape[-1] * target.shape[-2])
    inter = torch.where(empty, ((1 - pred) * (1 - target)).sum((1, 2)), inter)
    union = torch.where(empty, torch.full_like(union, num_pixels), union)
    return inter / (union + IOU_EPS)


def frame_fcurve(logits: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    """Per-frame F-measure curves [F,255] (beta^2 = 0.3), AVSBench `Eval_Fmeasure` without the frame mean.

    Threshold k counts pixels with sigmoid >= linspace(0, 1-1e-10, 255)[k]; computed with one bucketize and a
    reverse cumulative sum instead of 255 passes. NaN (0/0) becomes 0, as in the reference.
    """
    prob = torch.sigmoid(logits.float()).flatten(1)
    target = (gt > 0).flatten(1)
    # Built on the CPU like the reference (float32: the last threshold rounds to exactly 1.0), then moved.
    thresholds = torch.linspace(0, 1 - 1e-10, NUM_THRESHOLDS).to(prob.device)
    # bucket b = number of thresholds <= p, so the pixel is "positive" at every k < b.
    bucket = torch.searchsorted(thresholds, prob.contiguous(), right=True)
    n = prob.shape[0]
    offs = (torch.arange(n, device=prob.device) * (NUM_THRESHOLDS + 1)).unsqueeze(1)
    size = n * (NUM_THRESHOLDS + 1)
    hist_all = torch.bincount((bucket + offs).flatten(), minlength=size).view(n, -1)
    hist_tp = torch.bincount((bucket + offs)[target], minlength=size).view(n, -1)
    # positives at k = sum of buckets b > k
    pos = hist_all.flip(1).cumsum(1).flip(1)[:, 1:].float()
    tp = hist_tp.flip(1).cumsum(1).flip(1)[:, 1:].float()
    gt_count = target.sum(1, keepdim=True).float()
    prec = tp / (pos + PR_EPS)
    rec = tp / (gt_count + PR_EPS)
    f = (1 + BETA2) * prec * rec / (BETA2 * prec + rec)
    return torch.nan_to_num(f, nan=0.0)


class BinaryMeter(SumMeter):
    """Accumulates S4/MS3 mIoU and F over a fixed list of `num_videos` videos, batched `batch_size` videos at a time.

    Reported keys:
      miou            AVSBench mIoU (mean of per-batch frame means; equals the frame mean when batches are full)
      fscore          AVSBench F with `fscore_batch_size` videos per batch (batch-size dependent!)
      miou_frame      mean IoU over all scored frames (batch-size independent)
      fscore_frame    mean over non-empty-GT frames of each frame's best F (threshold chosen per frame)
      fscore_dataset  max over thresholds of the mean F curve over all non-empty-GT frames (one threshold)
    """

    def __init__(self, num_videos: int, *, batch_size: int = 4) -> None:
        if batch_size < 1 or num_videos < 1:
            raise ValueError("num_videos and batch_size must be >= 1")
        self.batch_size = batch_size
        groups = math.ceil(num_videos / batch_size)
        dd = torch.float64
        self.iou_sum = torch.zeros(groups, dtype=dd)
        self.frames = torch.zeros(groups, dtype=dd)
        self.curve_sum = torch.zeros(groups, NUM_THRESHOLDS, dtype=dd)
        self.nonempty = torch.zeros(groups, dtype=dd)
        self.fmax_sum = torch.zeros((), dtype=dd)

    def update(self, logits: torch.Tensor, gt: torch.Tensor, video_index: torch.Tensor) -> None:
        """Add frames: `logits` [F,H,W], `gt` [F,H,W] (0/1 or 0/255), `video_index` [F] (dataset video order)."""
        if logits.numel() == 0:
            return
        iou = frame_iou(logits, gt).double().cpu()
        curve = frame_fcurve(logits, gt).double().cpu()
        group = (video_index.cpu().long() // self.batch_size)
        nonempty = ((gt > 0).flatten(1).sum(1) > 0).cpu()
        self.iou_sum.index_add_(0, group, iou)
        self.frames.index_add_(0, group, torch.ones_like(iou))
        self.curve_sum.index_add_(0, group[nonempty], curve[nonempty])
        self.nonempty.index_add_(0, group[nonempty], torch.ones(int(nonempty.sum()), dtype=torch.float64))
        self.fmax_sum += curve[nonempty].max(1).values.sum() if nonempty.any() else 0.0

    def state(self) -> list[torch.Tensor]:
        """The sum tensors, in a fixed order (what `all_reduce` adds across ranks)."""
        return [self.iou_sum, self.frames, self.curve_sum, self.nonempty, self.fmax_sum]

    def compute(self) -> dict[str, float]:
        """The metrics as plain floats (0 when nothing was scored)."""
        seen = self.frames > 0
        if not bool(seen.any()):
            return {"miou": 0.0, "fscore": 0.0, "miou_frame": 0.0, "fscore_frame": 0.0,
                    "fscore_dataset": 0.0, "fscore_batch_size": self.batch_size, "frames": 0}
        batch_iou = self.iou_sum[seen] / self.frames[seen]
        ne = self.nonempty[seen]
        curves = self.curve_sum[seen] / ne.clamp(min=1).unsqueeze(1)
        batch_f = torch.where(ne > 0, curves.max(1).values, torch.zeros_like(ne))
        total_ne = float(self.nonempty.sum())
        dataset_curve = self.curve_sum.sum(0) / max(total_ne, 1.0)
        return {
            "miou": float(batch_iou.mean()),
            "fscore": float(batch_f.mean()),
            "miou_frame": float(self.iou_sum.sum() / self.frames.sum()),
            "fscore_frame": float(self.fmax_sum) / total_ne if total_ne else 0.0,
            "fscore_dataset": float(dataset_curve.max()) if total_ne else 0.0,
            "fscore_batch_size": self.batch_size,
            "frames": int(self.frames.sum()),
        }
