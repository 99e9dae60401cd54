"""Strict loading of user-given pretrained weights through one key-remap function (style.md, model habit 11).

Never drop weights silently (style.md, "What the AVS research code does that we must not"): every checkpoint key
ends up loaded, `ignored` (a classifier head the module does not build, e.g. torchvision `fc.*`, PVT `head.*`,
torchvggish `pproc.*`), or reported as `unexpected`; every module key is loaded or reported as `missing`; keys
whose shapes differ are reported as `mismatched`. With `strict=True` any report entry raises `WeightLoadError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch import Tensor, nn

from ccformer.cli import CommandError

__all__ = ["LoadReport", "WeightLoadError", "load_pretrained", "read_state_dict"]

DEFAULT_IGNORED: tuple[str, ...] = ("fc.", "head.", "classifier.")
_WRAPPERS = ("state_dict", "model", "module", "net", "params")
_SHOW = 5  # keys listed per category in an error message


class WeightLoadError(CommandError):
    """A weight file does not fit the module: one line naming the file and the first offending keys."""


@dataclass(frozen=True)
class LoadReport:
    """Outcome of `load_pretrained`. Key lists are sorted; `mismatched` entries read `key ckpt[..] vs model[..]`."""

    missing: list[str]
    unexpected: list[str]
    ignored: list[str]
    mismatched: list[str] = field(default_factory=list)
    loaded: int = 0

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)

    def summary(self) -> str:
        """One line: counts plus the first keys of each problem category."""
        parts = [f"{self.loaded} loaded, {len(self.ignored)} ignored"]
        for name, keys in (("missing", self.missing), ("unexpected", self.unexpected),
                           ("shape-mismatched", self.mismatched)):
            if keys:
                more = f", ... (+{len(keys) - _SHOW})" if len(keys) > _SHOW else ""
                parts.append(f"{len(keys)} {name}: {', '.join(keys[:_SHOW])}{more}")
        return "; ".join(parts)


def read_state_dict(path: str | Path) -> dict[str, Tensor]:
    """Read a checkpoint and unwrap common nestings ({"state_dict": ...}, {"model": ...}, "module." prefixes).

    Uses `torch.load(weights_only=True)`: only tensors and plain containers are accepted (no pickled code);
    `.safetensors` files are read with the optional `safetensors` package.
    """
    p = Path(path)
    if not p.is_file():
        raise WeightLoadError(f"{p}: weight file not found")
    if p.suffix == ".safetensors":
        return _read_safetensors(p)
    try:
        obj = torch.load(p, map_location="cpu", weights_only=True)
    except Exception as err:  # noqa: BLE001 - any unreadable file is a user error
        raise WeightLoadError(f"{p}: not a readable PyTorch checkpoint ({type(err).__name__}: {err})") from err
    while isinstance(obj, Mapping) and not _is_flat(obj):
        inner = next((obj[k] for k in _WRAPPERS if isinstance(obj.get(k), Mapping)), None)
        if inner is None:
            break
        obj = inner
    if not isinstance(obj, Mapping):
        raise WeightLoadError(f"{p}: expected a state dict, found {type(obj).__name__}")
    sd = {str(k): v for k, v in obj.items() if isinstance(v, Tensor)}
    if not sd:
        raise WeightLoadError(f"{p}: no tensors found (top-level keys: {', '.join(map(str, list(obj)[:_SHOW]))})")
    if all(k.startswith("module.") for k in sd):
        sd = {k[len("module."):]: v for k, v in sd.items()}
    return sd


def _read_safetensors(p: Path) -> dict[str, Tensor]:
    """`.safetensors` files (the Hugging Face hub's format) need the optional `safetensors` package."""
    try:
        from safetensors.torch import load_file
    except ImportError as err:
        raise WeightLoadError(f"{p}: reading .safetensors needs `pip install safetensors`") from err
    try:
        return dict(load_file(str(p), device="cpu"))
    except Exception as err:  # noqa: BLE001
        raise WeightLoadError(f"{p}: not a readable safetensors file ({err})") from err


def _is_flat(obj: Mapping[object, object]) -> bool:
    return any(isinstance(v, Tensor) for v in obj.values())


def load_pretrained(
    module: nn.Module,
    path: str | Path,
    *,
    remap: Callable[[str], str | None] | None = None,
    strict: bool = True,
    ignore: tuple[str, ...] | None = None,
) -> LoadReport:
    """Load `path` into `module`; return a LoadReport, or raise WeightLoadError when `strict` and not `ok`.

    Args:
        remap: maps a checkpoint key to the module's key; returning None drops the key (counted as ignored).
        ignore: checkpoint key prefixes to skip when the module has no such key; default is the module's
            `ignored_prefixes` attribute or ("fc.", "head.", "classifier.").
    Whatever fits is loaded even when the report has problems and `strict=False`.
    """
    sd = read_state_dict(path)
    prefixes = ignore if ignore is not None else tuple(getattr(module, "ignored_prefixes", DEFAULT_IGNORED))
    own = module.state_dict()
    ignored: list[str] = []
    unexpected: list[str] = []
    mismatched: list[str] = []
    take: dict[str, Tensor] = {}
    wrong_shape: set[str] = set()
    for key, value in sd.items():
        new = remap(key) if remap is not None else key
        if new is None:
            ignored.append(key)
        elif new not in own:
            (ignored if new.startswith(prefixes) else unexpected).append(key)
        elif tuple(value.shape) != tuple(own[new].shape):
            mismatched.append(f"{key} ckpt{list(value.shape)} vs model{list(own[new].shape)}")
            wrong_shape.add(new)
        else:
            take[new] = value
    # BatchNorm counters are absent from older torchvision files; BatchNorm keeps its own, so not "missing".
    missing = [k for k in own if k not in take and k not in wrong_shape and not k.endswith("num_batches_tracked")]
    report = LoadReport(sorted(missing), sorted(unexpected), sorted(ignored), sorted(mismatched), len(take))
    if strict and not report.ok:
        raise WeightLoadError(f"{path}: weights do not fit {type(module).__name__} ({report.summary()})")
    module.load_state_dict(take, strict=False)
    return report
