"""Builders the train and evaluate commands share: datasets, loaders, optimiser, LR schedule."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, Sampler

from ccformer.configs import Config, ConfigError
from ccformer.data import AVSDataset
from ccformer.data.augment import AugmentedClips
from ccformer.data.views import AUDIO_MODES, AudioOverride, CachedClips
from ccformer.engine.distributed import DistInfo, ShardSampler


def build_dataset(cfg: Config, split: str) -> Any:
    """The configured subset's `split` (raises DataLayoutError naming a missing file): an `AVSDataset`, served
    from memory with `data.cache`, augmented per `data.augment` (training split only) and with its audio replaced
    per `data.audio_override` (ccformer.data.views)."""
    d = cfg.data
    if d.check_files not in ("all", "first", "none"):
        raise ConfigError(f"data.check_files must be all, first or none, got {d.check_files!r}")
    if d.audio_override not in AUDIO_MODES:
        raise ConfigError(f"data.audio_override must be one of {', '.join(AUDIO_MODES)}, got {d.audio_override!r}")
    if d.cache and d.num_workers != 0:
        raise ConfigError("data.cache keeps clips in the training process: set data.num_workers=0")
    try:
        ds: Any = AVSDataset(d.task, d.root, split, size=d.size, audio=d.audio, check_files=d.check_files)
    except ValueError as err:  # bad data.* values (DataLayoutError is not a ValueError and passes through)
        raise ConfigError(str(err)) from err
    if d.cache:
        ds = CachedClips(ds)
    if d.augment and split == d.train_split:  # after the cache: a fresh draw at every read
        ds = AugmentedClips(ds)
    return ds if d.audio_override == "none" else AudioOverride(ds, d.audio_override)


class SkipSampler(Sampler[int]):
    """Drops the first `skip` indices of `base` (resuming in the middle of an epoch)."""

    def __init__(self, base: Sampler[int], skip: int) -> None:
        self.base, self.skip = base, skip

    def __iter__(self):  # type: ignore[no-untyped-def]
        it = iter(self.base)
        for _ in range(self.skip):
            next(it, None)
        return it

    def __len__(self) -> int:
        return max(0, len(self.base) - self.skip)  # type: ignore[arg-type]


def train_loader(cfg: Config, dataset: AVSDataset, info: DistInfo, epoch: int, skip_batches: int = 0) -> DataLoader:
    """Shuffled per epoch (seeded by run.seed + epoch, identical on resume), sharded across ranks."""
    sampler: Sampler[int] = DistributedSampler(dataset, num_replicas=info.world_size, rank=info.rank,
                                               shuffle=True, seed=cfg.run.seed, drop_last=True)
    sampler.set_epoch(epoch)  # type: ignore[attr-defined]
    if skip_batches:
        sampler = SkipSampler(sampler, skip_batches * cfg.optim.batch_size)
    return DataLoader(dataset, batch_size=cfg.optim.batch_size, sampler=sampler, drop_last=True,
                      num_workers=cfg.data.num_workers, pin_memory=info.device.type == "cuda",
                      persistent_workers=False, generator=torch.Generator().manual_seed(cfg.run.seed + epoch))


def eval_loader(cfg: Config, dataset: AVSDataset, info: DistInfo) -> DataLoader:
    """Every clip exactly once over all ranks, in dataset order (its own RNG: evaluation never shifts the
    global RNG, so resumed training matches an uninterrupted run)."""
    return DataLoader(dataset, batch_size=cfg.eval.batch_size,
                      sampler=ShardSampler(len(dataset), info.rank, info.world_size),
                      num_workers=cfg.data.num_workers, pin_memory=info.device.type == "cuda",
                      generator=torch.Generator().manual_seed(0))


def build_optimizer(cfg: Config, model: nn.Module) -> torch.optim.Optimizer:
    """AdamW/Adam over trainable parameters; the visual backbone (`visual.*`) gets lr x backbone_lr_mult."""
    o = cfg.optim
    backbone, rest = [], []
    for name, p in model.named_parameters():
        if p.requires_grad:
            (backbone if name.startswith("visual.") else rest).append(p)
    groups: list[dict[str, Any]] = [{"params": rest, "lr": o.lr}]
    if backbone:
        groups.append({"params": backbone, "lr": o.lr * o.backbone_lr_mult})
    if o.name == "adamw":
        return torch.optim.AdamW(groups, lr=o.lr, weight_decay=o.weight_decay)
    if o.name == "adam":
        return torch.optim.Adam(groups, lr=o.lr, weight_decay=o.weight_decay)
    raise ConfigError(f"optim.name must be adamw or adam, got {o.name!r}")


def build_scheduler(cfg: Config, optimizer: torch.optim.Optimizer, total_steps: int) -> Any:
    """Per-step LambdaLR: linear warmup over `warmup_steps`, then constant, poly (power 0.9) or cosine."""
    o = cfg.optim
    if o.schedule not in ("constant", "poly", "cosine"):
        raise ConfigError(f"optim.schedule must be constant, poly or cosine, got {o.schedule!r}")
    total = max(total_steps, 1)

    def factor(step: int) -> float:
        if o.warmup_steps and step < o.warmup_steps:
            return (step + 1) / o.warmup_steps
        progress = min(1.0, (step - o.warmup_steps) / max(total - o.warmup_steps, 1))
        if o.schedule == "poly":
            return (1 - progress) ** 0.9
        if o.schedule == "cosine":
            return 0.5 * (1 + math.cos(math.pi * progress))
        return 1.0

    return torch.optim.lr_scheduler.LambdaLR(optimizer, factor)
