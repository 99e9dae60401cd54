"""CCFormer assembled from finished parts (SAM-style); `ccformer.model.registry` builds it from a config.

Abstract ("Complementary and Contrastive Learning for Audio-Visual Segmentation", claims in ccformer-design.md):
three components, EIM (eim.py), MTM (encoder.py, pixel_decoder.py, mtm.py, heads.py) and BCL (bcl.py). Data flow (ccformer-design.md): backbone levels -> 1x1 conv + GN to d; VGGish -> Linear to d; EIM on strides
32/16/8; frame encoder; FPN pixel decoder with audio; MTM queries (frame + video level); mask head after every
decoder layer; BCL projection heads.
"""

from __future__ import annotations

from typing import Any

import torch.nn as nn
from torch import Tensor

from ccformer.model.bcl import ProjectionHead
from ccformer.model.config import CCFormerConfig
from ccformer.model.eim import EarlyIntegration
from ccformer.model.encoder import FrameEncoder
from ccformer.model.heads import MaskHead
from ccformer.model.mtm import MultiQueryTransformer
from ccformer.model.pixel_decoder import PixelDecoder


class CCFormer(nn.Module):
    """Audio-visual segmentation model.

    forward(frames [B,T,3,H,W] ImageNet-normalised RGB, audio [B,T,1,96,64] VGGish log-mel) -> dict:
        logits       [B,T,C,H,W]  C = 1 (S4/MS3, sigmoid) or 71 (AVSS, softmax)
        aux_logits   list of [B,T,C,H/4,W/4], one per earlier decoder layer (deep supervision), at the mask
                     features' resolution: the criterion upsamples them (the paper's loss) or downsamples the
                     masks (loss.aux_full_res=false), so a 71-class output is never upsampled for nothing
        audio_embed  [B,T,D] BCL audio projection (absent when BCL is off; not normalised)
        visual_embed [B,T,D] BCL projection of the visually grounded queries (same)
        audio_class_logits [B,T,C] which classes sound in each second (only with config.audio_tagging)
    """

    def __init__(self, *, visual: nn.Module, audio: nn.Module, input_proj: nn.ModuleList, audio_proj: nn.Module,
                 fusion: EarlyIntegration | None, encoder: FrameEncoder, pixel_decoder: PixelDecoder,
                 decoder: MultiQueryTransformer, head: MaskHead, bcl_audio: ProjectionHead | None,
                 bcl_visual: ProjectionHead | None, config: CCFormerConfig,
                 audio_tagger: nn.Module | None = None) -> None:
        super().__init__()
        self.visual = visual
        self.audio = audio
        self.input_proj = input_proj  # strides 4, 8, 16, 32
        self.audio_proj = audio_proj
        self.fusion = fusion
        self.encoder = encoder
        self.pixel_decoder = pixel_decoder
        self.decoder = decoder
        self.head = head
        self.bcl_audio = bcl_audio
        self.bcl_visual = bcl_visual
        self.audio_tagger = audio_tagger
        self.config = config

    def _trunk(self, frames: Tensor, audio: Tensor) -> tuple[list[Tensor], Tensor, Tensor, Tensor]:
        """-> (query states per decoder layer [B*T,Q,d], mask features [B*T,d,H/4,W/4], audio emb [B*T,d],
        the audio-free stride-4 visual features [B*T,d,H/4,W/4])."""
        b = frames.shape[0]
        feats = self.visual(frames.flatten(0, 1))
        p4, p8, p16, p32 = (proj(f) for proj, f in zip(self.input_proj, feats, strict=True))
        a0 = self.audio_proj(self.audio(audio.flatten(0, 1)))  # [N,d]
        coarse_to_fine = [p32, p16, p8]
        a = a0
        if self.fusion is not None:
            coarse_to_fine, a = self.fusion(coarse_to_fine, a0, b)
        fine_to_coarse = coarse_to_fine[::-1]
        skipped = len(fine_to_coarse) - self.config.enc_levels  # the lite variant leaves stride 8 unencoded
        encoded = fine_to_coarse[:skipped] + self.encoder(fine_to_coarse[skipped:])
        memories, mask_features = self.pixel_decoder(encoded[::-1], p4, a, b)
        states = self.decoder(a, memories, batch=b)
        return states, mask_features, a0, p4

    def _bcl_visual_input(self, states: list[Tensor], mask_features: Tensor, p4: Tensor) -> Tensor:
        """What BCL's visual head reads, per frame [N,d]. "queries": the mean final query, which was generated
        from this frame's audio (so BCL could be solved without looking). "mask_pooled": the audio-free stride-4
        visual features averaged under the predicted foreground probability, so that matching the audio needs
        the mask to cover pixels that look like the sound's source."""
        if self.config.bcl_target == "queries":
            return states[-1].mean(dim=1)
        logits = self.head(states[-1], mask_features, None)  # [N,C,h,w] at stride 4
        fg = logits[:, 0].sigmoid() if logits.shape[1] == 1 else 1 - logits.softmax(dim=1)[:, 0]
        w = fg.flatten(1)[:, None, :] + 1e-4  # an empty mask falls back to the frame mean
        return (p4.flatten(2) * w).sum(-1) / w.sum(-1)

    def forward(self, frames: Tensor, audio: Tensor) -> dict[str, Any]:
        b, t = frames.shape[:2]
        size = (int(frames.shape[-2]), int(frames.shape[-1]))
        states, mask_features, a0, p4 = self._trunk(frames, audio)

        def unflatten(x: Tensor) -> Tensor:
            return x.reshape(b, t, *x.shape[1:])

        out: dict[str, Any] = {"logits": unflatten(self.head(states[-1], mask_features, size)),
                               "aux_logits": [unflatten(self.head(q, mask_features, None)) for q in states[:-1]]}
        if self.bcl_audio is not None and self.bcl_visual is not None:
            out["audio_embed"] = unflatten(self.bcl_audio(a0))
            out["visual_embed"] = unflatten(self.bcl_visual(self._bcl_visual_input(states, mask_features, p4)))
        if self.audio_tagger is not None:
            out["audio_class_logits"] = unflatten(self.audio_tagger(a0))
        return out

    def predict(self, frames: Tensor, audio: Tensor) -> Tensor:
        """Final logits only (no auxiliary heads, no BCL): frames [B,T,3,H,W], audio [B,T,1,96,64] -> [B,T,C,H,W].

        The inference path the ONNX export traces; equal to forward(...)["logits"].
        """
        b, t = frames.shape[:2]
        size = (int(frames.shape[-2]), int(frames.shape[-1]))
        states, mask_features, _, _ = self._trunk(frames, audio)
        logits = self.head(states[-1], mask_features, size)
        return logits.reshape(b, t, *logits.shape[1:])
