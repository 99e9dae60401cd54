"""Self-describing checkpoints (nanoGPT habit): they rebuild the model and resume training on their own.

A checkpoint is a dict: `model` (state dict), `model_config` (CCFormerConfig dict, read by
`ccformer.model.registry.model_from_checkpoint`), `config` (the training Config dict), `optimizer`,
`scheduler`, `scaler`, `epoch` (epochs completed), `epoch_step` (batches done in the next epoch, when a run
stopped mid-epoch), `step` (optimiser steps done), `best` (best val metric so
far and its epoch), `metrics`, `git_sha`, `rng` (python / numpy / torch / cuda states), `torch_version`.
"""

from __future__ import annotations

import os
import random
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ccformer.configs.schema import ConfigError


def git_sha() -> str:
    """The source tree's commit (with `-dirty` when modified), or "unknown" outside git."""
    here = Path(__file__).resolve().parent
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                             timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def rng_state() -> dict[str, Any]:
    """Every RNG that training touches."""
    state: dict[str, Any] = {"python": random.getstate(), "numpy": np.random.get_state(),
                             "torch": torch.get_rng_state()}
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    """Restore `rng_state()` output (CUDA states only when the device count matches)."""
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available() and len(state["cuda"]) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state["cuda"])


def unwrap(model: nn.Module) -> nn.Module:
    """The bare model under DDP."""
    return model.module if hasattr(model, "module") else model


def save_checkpoint(path: Path, *, model: nn.Module, config: dict[str, Any], optimizer: Any = None,
                    scheduler: Any = None, scaler: Any = None, epoch: int = 0, step: int = 0,
                    best: dict[str, Any] | None = None, metrics: dict[str, Any] | None = None,
                    extra: dict[str, Any] | None = None) -> None:
    """Write atomically (tmp file + rename) so an interrupted save never leaves a truncated checkpoint."""
    bare = unwrap(model)
    model_cfg = bare.config.to_dict() if hasattr(bare.config, "to_dict") else dict(vars(bare.config))
    ckpt = {
        "model": bare.state_dict(), "model_config": model_cfg, "config": config,
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "scaler": scaler.state_dict() if scaler is not None else None,
        "epoch": epoch, "step": step, "best": best or {}, "metrics": metrics or {},
        "git_sha": git_sha(), "rng": rng_state(), "torch_version": torch.__version__, **(extra or {}),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(ckpt, tmp)
    os.replace(tmp, path)


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Read a checkpoint dict on the CPU (our own files: they contain RNG states, so not weights_only)."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise FileNotFoundError(f"checkpoint {p} not found")
    ckpt = torch.load(p, map_location="cpu", weights_only=False)
    if not isinstance(ckpt, dict) or "model" not in ckpt:
        raise ConfigError(f"{p}: not a CCFormer checkpoint (no 'model' entry)")
    return ckpt


def init_from(model: nn.Module, path: str | Path) -> dict[str, list[str]]:
    """Copy every weight of checkpoint `path` whose name and shape match (e.g. MS3 from S4, or S4 -> AVSS with
    a different head). Returns the report: `loaded`, `shape_mismatch`, `missing` (in the model, not in the
    file), `unexpected` (in the file, not in the model) — the caller prints it; nothing is dropped silently."""
    state = load_checkpoint(path)["model"]
    own = unwrap(model).state_dict()
    fit = {k: v for k, v in state.items() if k in own and own[k].shape == v.shape}
    report = {
        "loaded": sorted(fit),
        "shape_mismatch": sorted(k for k in state if k in own and own[k].shape != state[k].shape),
        "missing": sorted(k for k in own if k not in state),
        "unexpected": sorted(k for k in state if k not in own),
    }
    unwrap(model).load_state_dict(fit, strict=False)
    return report
