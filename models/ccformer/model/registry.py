"""Variant registry and the one builder that reads `CCFormerConfig` (timm `_registry.py` / SAM `build_sam.py`).

    model = build_model("ccformer_tiny", task="s4", input_size=160)
    model = model_from_checkpoint("runs/x/best.pt")        # rebuilds from the config saved inside
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ccformer.model.config import CCFormerConfig

_VARIANTS: dict[str, Callable[[], dict[str, Any]]] = {}


def register_variant(fn: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Register `fn` (returning CCFormerConfig fields) under its function name."""
    _VARIANTS[fn.__name__] = fn
    return fn


@register_variant
def ccformer_tiny() -> dict[str, Any]:
    """CPU variant: PVT-v2-b0 + VGGish-tiny at d=64. Trains in minutes on 2 cores at 112-160 px; ONNX ~19.5 MB."""
    return dict(backbone="pvt_v2_b0", audio_net="vggish_tiny", d_model=64, num_heads=4, dim_feedforward=256,
                enc_layers=1, enc_feedforward=256, dec_layers=2, num_queries=5, bcl_dim=64)


@register_variant
def ccformer_r50() -> dict[str, Any]:
    """Paper scale with ResNet-50 (d 256, 8 heads, FFN 2048, VGGish)."""
    return dict(backbone="resnet50", audio_net="vggish")


@register_variant
def ccformer_pvt_b5() -> dict[str, Any]:
    """Paper scale with PVT-v2-b5 (d 256, 8 heads, FFN 2048, VGGish)."""
    return dict(backbone="pvt_v2_b5", audio_net="vggish")


@register_variant
def ccformer_pvt_b5_lite() -> dict[str, Any]:
    """ccformer_pvt_b5 with a cheaper head: the frame encoder reads strides 16/32 only (stride 8 goes to the pixel
    decoder unencoded), and the stride-4 pixel-decoder conv is depthwise-separable. Same backbone and weights."""
    return dict(backbone="pvt_v2_b5", audio_net="vggish", enc_levels=2, enc_kv_pool=1, light_stride4=True)


def list_variants() -> list[str]:
    """Names accepted by `build_model`."""
    return sorted(_VARIANTS)


def variant_config(variant: str, *, task: str = "s4", **overrides: Any) -> CCFormerConfig:
    """The config of `variant` for `task` with `overrides` (unknown keys raise ValueError)."""
    if variant not in _VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(list_variants())}")
    fields = {**_VARIANTS[variant](), "variant": variant, "task": task, **overrides}
    return CCFormerConfig.from_dict(fields)


def build_model(variant: str, *, task: str = "s4", **overrides: Any) -> nn.Module:
    """Build a CCFormer variant. Pretrained weights load only when `backbone_weights`/`audio_weights` are given."""
    return build_from_config(variant_config(variant, task=task, **overrides))


def build_from_config(cfg: CCFormerConfig, *, load_weights: bool = True) -> nn.Module:
    """Assemble CCFormer from parts. `load_weights=False` skips the pretrained files (a checkpoint follows)."""
    from ccformer.audio.vggish import build_audio_net
    from ccformer.backbones import build_backbone
    from ccformer.model.bcl import ProjectionHead
    from ccformer.model.ccformer import CCFormer
    from ccformer.model.eim import EarlyIntegration
    from ccformer.model.encoder import FrameEncoder
    from ccformer.model.heads import MaskHead
    from ccformer.model.layers import conv_norm
    from ccformer.model.mtm import MultiQueryTransformer
    from ccformer.model.pixel_decoder import PixelDecoder

    d = cfg.d_model
    visual = build_backbone(cfg.backbone, weights=cfg.backbone_weights if load_weights else None)
    audio = build_audio_net(cfg.audio_net, weights=cfg.audio_weights if load_weights else None,
                            frozen=cfg.audio_is_frozen)
    bcl_on = cfg.bcl != "off"
    return CCFormer(
        visual=visual,
        audio=audio,
        input_proj=nn.ModuleList(conv_norm(c, d) for c in visual.out_channels),
        audio_proj=nn.Sequential(nn.Linear(audio.out_dim, d), nn.LayerNorm(d)),
        fusion=EarlyIntegration(dim=d, num_heads=cfg.num_heads, num_levels=3,
                                audio_attention=cfg.audio_attention) if cfg.eim else None,
        encoder=FrameEncoder(dim=d, num_heads=cfg.num_heads, ffn_dim=cfg.enc_feedforward,
                             num_layers=cfg.enc_layers, num_levels=cfg.enc_levels, kv_pool=cfg.enc_kv_pool),
        pixel_decoder=PixelDecoder(dim=d, audio_attention=cfg.audio_attention, num_heads=cfg.num_heads,
                                   light_stride4=cfg.light_stride4),
        decoder=MultiQueryTransformer(dim=d, num_heads=cfg.num_heads, ffn_dim=cfg.dim_feedforward,
                                      num_layers=cfg.dec_layers, num_queries=cfg.num_queries,
                                      video_queries=cfg.video_queries, video_temporal_pos=cfg.video_temporal_pos),
        head=MaskHead(dim=d, num_classes=cfg.num_classes),
        bcl_audio=ProjectionHead(in_dim=d, out_dim=cfg.bcl_dim) if bcl_on else None,
        bcl_visual=ProjectionHead(in_dim=d, out_dim=cfg.bcl_dim) if bcl_on else None,
        audio_tagger=_audio_tagger(d, cfg.num_classes) if cfg.audio_tagging else None,
        config=cfg,
    )


def _audio_tagger(dim: int, num_classes: int) -> nn.Linear:
    """Linear class tagger on the audio embedding; bias at a 2% prior so that the 70 absent classes do not swamp
    the first steps' (clipped) gradient, the usual prior initialisation of sparse multi-label heads."""
    tagger = nn.Linear(dim, num_classes)
    nn.init.constant_(tagger.bias, -4.0)
    return tagger


def config_from_checkpoint(ckpt: dict[str, Any], source: str = "checkpoint") -> CCFormerConfig:
    """Find the model config in a checkpoint dict: `model_config` (CCFormerConfig or its dict), or `config` as a
    CCFormerConfig, its dict, or a training config with a `model` section (dict or CCFormerConfig)."""
    for key in ("model_config", "config"):
        value = ckpt.get(key)
        if isinstance(value, CCFormerConfig):
            return value
        if isinstance(value, dict):
            inner = value.get("model")
            if isinstance(inner, CCFormerConfig):
                return inner
            if isinstance(inner, dict) and "backbone" in inner:
                return CCFormerConfig.from_dict(inner)
            if isinstance(inner, dict) and "variant" in inner:  # a training config's `model` section
                section = dict(inner)
                data = value.get("data") if isinstance(value.get("data"), dict) else {}
                section.setdefault("input_size", data.get("size", 224))
                task = section.pop("task", data.get("task", "s4"))
                return variant_config(section.pop("variant"), task=task, **section)
            if "backbone" in value and "d_model" in value:
                return CCFormerConfig.from_dict(value)
    raise ValueError(f"{source}: no model config found (expected a 'model_config' or 'config' entry)")


def model_from_checkpoint(path: str | Path, *, map_location: str = "cpu") -> tuple[nn.Module, dict[str, Any]]:
    """Rebuild the model saved in `path` (a dict with 'model' state dict and its config) and load it strictly.

    Returns (model in eval mode, the checkpoint dict). Raises ValueError naming the file on a bad checkpoint.
    """
    ckpt = torch.load(str(path), map_location=map_location, weights_only=False)
    if not isinstance(ckpt, dict) or not isinstance(ckpt.get("model"), dict):
        raise ValueError(f"{path}: not a CCFormer checkpoint (no 'model' state dict)")
    cfg = config_from_checkpoint(ckpt, str(path))
    model = build_from_config(cfg, load_weights=False)
    missing, unexpected = model.load_state_dict(ckpt["model"], strict=False)
    if missing or unexpected:
        raise ValueError(f"{path}: state dict does not fit {cfg.variant}: missing {list(missing)[:5]}, "
                         f"unexpected {list(unexpected)[:5]}")
    return model.eval(), ckpt
