"""Visual backbones with a timm-style `features_only` interface (style.md, model habit 7).

Design reference: ccformer-design.md "Backbones and inputs" -- ResNet-50 and PVT-v2-b5 at paper scale, resnet18 /
pvt_v2_b0 for CPU. timm cannot be installed beside the CPU torch (stack-notes.md), so the networks are written
here with the parameter names of the published checkpoints (torchvision's resnet*, the official pvt_v2_b*.pth),
and user-given ImageNet weights load strictly through `ccformer.backbones.weights.load_pretrained`.

    backbone = build_backbone("pvt_v2_b5", weights="pvt_v2_b5.pth")
    feats = backbone(x)   # x [N,3,H,W] -> 4 maps [N, out_channels[i], H/strides[i], W/strides[i]]
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from torch import Tensor, nn

__all__ = ["Backbone", "build_backbone", "list_backbones"]


class Backbone(nn.Module):
    """Base class of every visual backbone: multi-scale features at strides 4/8/16/32.

    Attributes:
        out_channels: channels of the four maps returned by `forward`.
        strides: output strides of those maps, always (4, 8, 16, 32).
        ignored_prefixes: checkpoint key prefixes (classifier heads) that `load_pretrained` skips as `ignored`.
        remap_key: optional checkpoint-key -> module-key map that `build_backbone` applies when loading.
    """

    out_channels: tuple[int, int, int, int]
    strides: tuple[int, int, int, int] = (4, 8, 16, 32)
    ignored_prefixes: tuple[str, ...] = ("fc.", "head.")
    remap_key: Callable[[str], str | None] | None = None

    def forward(self, x: Tensor) -> list[Tensor]:  # pragma: no cover - overridden
        """x [N,3,H,W] (ImageNet-normalised RGB) -> 4 maps [N, C_i, ~H/s_i, ~W/s_i]."""
        raise NotImplementedError


# name -> (module, builder function); imported lazily so importing the package stays cheap.
_REGISTRY: dict[str, tuple[str, str]] = {
    "resnet18": ("ccformer.backbones.resnet", "resnet18"),
    "resnet50": ("ccformer.backbones.resnet", "resnet50"),
    "pvt_v2_b0": ("ccformer.backbones.pvt_v2", "pvt_v2_b0"),
    "pvt_v2_b1": ("ccformer.backbones.pvt_v2", "pvt_v2_b1"),
    "pvt_v2_b2": ("ccformer.backbones.pvt_v2", "pvt_v2_b2"),
    "pvt_v2_b5": ("ccformer.backbones.pvt_v2", "pvt_v2_b5"),
}


def list_backbones() -> list[str]:
    """Names accepted by `build_backbone`."""
    return sorted(_REGISTRY)


def build_backbone(name: str, *, weights: str | None = None, **kwargs: float) -> Backbone:
    """Build backbone `name`; when `weights` is a file path, load it strictly (raises WeightLoadError).

    Accepted files: the published layout (torchvision resnet*.pth, official pvt_v2_b*.pth), optionally wrapped
    ({"state_dict"|"model": ...}, "module." prefixes); PVT-v2 also accepts timm's key layout (`remap_key`).

    `kwargs` go to the constructor (e.g. `drop_path_rate=0.1` for PVT-v2; default 0, the inference setting).
    """
    if name not in _REGISTRY:
        raise ValueError(f"unknown backbone {name!r}; choose one of {', '.join(list_backbones())}")
    mod_name, fn_name = _REGISTRY[name]
    builder: Callable[..., Backbone] = getattr(importlib.import_module(mod_name), fn_name)
    model = builder(**kwargs)
    if weights is not None:
        from ccformer.backbones.weights import load_pretrained

        load_pretrained(model, weights, remap=getattr(model, "remap_key", None), strict=True)
    return model
