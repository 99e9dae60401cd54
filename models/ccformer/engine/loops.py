"""`train_one_epoch` and `evaluate` (DETR's engine.py habit): the inner loops, no setup and no file layout."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import nullcontext
from typing import Any

import torch
from torch import nn
from tqdm import tqdm

from ccformer.engine.checkpoint import unwrap
from ccformer.engine.distributed import mean_across_ranks
from ccformer.losses import check_finite
from ccformer.metrics import BinaryMeter, SemanticMeter

BATCH_TENSORS = ("frames", "audio", "masks", "valid", "gt_valid")


def to_device(batch: dict[str, Any], device: torch.device) -> dict[str, Any]:
    """Move the batch's tensors (non_blocking from pinned memory); names and indices stay as they are."""
    return {k: v.to(device, non_blocking=True) if k in BATCH_TENSORS else v for k, v in batch.items()}


def autocast(device: torch.device, amp: str) -> Any:
    """Mixed-precision context for `run.amp` (off | bf16 | fp16)."""
    if amp == "off":
        return nullcontext()
    dtype = torch.bfloat16 if amp == "bf16" else torch.float16
    return torch.autocast(device_type=device.type, dtype=dtype)


def train_one_epoch(model: nn.Module, criterion: nn.Module, loader: Iterable[dict[str, Any]],
                    optimizer: torch.optim.Optimizer, scheduler: Any, scaler: Any, *, device: torch.device,
                    amp: str, grad_clip: float, step: int, max_steps: int, epoch: int,
                    on_step: Callable[[int, dict[str, float]], None], progress: bool,
                    total: int | None = None) -> tuple[int, int, dict[str, float]]:
    """One pass over `loader`. Returns (global step, batches done, mean of each named loss).

    Stops early when `max_steps` (> 0) optimiser steps are reached. A non-finite loss raises
    `NonFiniteLossError` before the optimiser touches the weights.
    """
    model.train()
    sums: dict[str, float] = {}
    done = 0
    bar = tqdm(loader, total=total, desc=f"epoch {epoch}", disable=not progress, leave=False, dynamic_ncols=True)
    for batch in bar:
        if max_steps and step >= max_steps:
            break
        batch = to_device(batch, device)
        with autocast(device, amp):
            outputs = model(batch["frames"], batch["audio"])
        losses = criterion(outputs, batch)
        check_finite(losses, step)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(losses["loss"]).backward()
        if grad_clip > 0:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        scaler.step(optimizer)
        scaler.update()
        scheduler.step()
        step += 1
        done += 1
        values = {k: float(v.detach()) for k, v in losses.items()}
        for k, v in values.items():
            sums[k] = sums.get(k, 0.0) + v
        bar.set_postfix(loss=f"{values['loss']:.4f}")
        on_step(step, {**values, "lr": optimizer.param_groups[0]["lr"]})
    means = mean_across_ranks({k: v / max(done, 1) for k, v in sums.items()})
    return step, done, means


def scored_frames(batch: dict[str, Any], task: str) -> torch.Tensor:
    """[B,T] bool: frames that enter the metric. Binary: annotated frames. AVSS: annotated frames plus the
    zero-padded frames of 5-frame clips (GT = background), as the AVSBench-semantic evaluation does."""
    gt_valid = batch["gt_valid"].bool()
    return gt_valid if task != "avss" else gt_valid | ~batch["valid"].bool()


@torch.no_grad()
def evaluate(model: nn.Module, loader: Iterable[dict[str, Any]], *, task: str, num_videos: int,
             fscore_batch_size: int, device: torch.device, amp: str = "off", progress: bool = False,
             on_batch: Callable[[dict[str, Any], torch.Tensor], None] | None = None,
             desc: str = "eval") -> dict[str, Any]:
    """Metrics over this rank's clips, SUM-reduced over ranks (each clip must be on exactly one rank).

    `on_batch(batch, logits [B,T,C,H,W])` sees every batch (e.g. to write PNG predictions).
    """
    net = unwrap(model)
    net.eval()
    meter: BinaryMeter | SemanticMeter = (SemanticMeter(net.config.num_classes) if task == "avss"
                                          else BinaryMeter(num_videos, batch_size=fscore_batch_size))
    for batch in tqdm(loader, desc=desc, disable=not progress, leave=False, dynamic_ncols=True):
        batch = to_device(batch, device)
        with autocast(device, amp):
            logits = net.predict(batch["frames"], batch["audio"]) if hasattr(net, "predict") else \
                net(batch["frames"], batch["audio"])["logits"]
        logits = logits.float()
        if tuple(logits.shape[-2:]) != tuple(batch["masks"].shape[-2:]):
            b, t = logits.shape[:2]
            logits = torch.nn.functional.interpolate(logits.flatten(0, 1), size=batch["masks"].shape[-2:],
                                                     mode="bilinear", align_corners=False).unflatten(0, (b, t))
        sel = scored_frames(batch, task)
        if isinstance(meter, SemanticMeter):
            meter.update(logits[sel], batch["masks"][sel])
        else:
            index = torch.as_tensor(batch["index"], device=sel.device).view(-1, 1).expand_as(sel)
            meter.update(logits[sel][:, 0], batch["masks"][sel], index[sel])
        if on_batch is not None:
            on_batch(batch, logits)
    meter.all_reduce()
    return meter.compute()
