"""The ONNX contract's signature around a CCFormer (src-main/shared/onnx-contract.ts, docs/model-contract.md).

    frames [T,3,H,W] float32 (ImageNet-normalised RGB), audio [T,1,96,64] float32 (VGGish log-mel)
      -> logits [T,C,H,W] float32
One clip per call: the app feeds one window of `frames_per_clip` seconds; T is a dynamic axis.
"""

from __future__ import annotations

from torch import Tensor, nn


class OnnxSegmenter(nn.Module):
    """Adds and removes the batch axis and keeps only the final logits (`CCFormer.predict`)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, frames: Tensor, audio: Tensor) -> Tensor:
        return self.model.predict(frames[None], audio[None])[0]
