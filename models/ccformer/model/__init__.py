"""CCFormer model: config, parts, registry and the ONNX wrapper. See ccformer-design.md and docs/model-contract.md.

    from ccformer.model import build_model, list_variants
    model = build_model("ccformer_tiny", task="avss")
    out = model(frames, audio)   # frames [B,T,3,H,W], audio [B,T,1,96,64] -> dict (see CCFormer)
"""

from ccformer.model.bcl import BiModalContrastiveLoss
from ccformer.model.config import CCFormerConfig
from ccformer.model.registry import (
    build_from_config,
    build_model,
    list_variants,
    model_from_checkpoint,
    variant_config,
)

__all__ = [
    "BiModalContrastiveLoss",
    "CCFormerConfig",
    "build_from_config",
    "build_model",
    "list_variants",
    "model_from_checkpoint",
    "variant_config",
]
