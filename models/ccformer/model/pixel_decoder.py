"""Pixel decoder: an FPN from stride 32 to stride 4 with audio cross-attention at every level.

ccformer-design.md "MTM": "Pixel decoder: FPN from stride 32 to stride 4 with audio cross-attention at each level
-> mask features (d at stride 4)". It serves the abstract's MTM claim (intra-frame spatial features,
ccformer-design.md claim 2) by giving the queries audio-aware multi-scale memories and a mask embedding.

Each level: x = upsample(coarser) + lateral; x = x + MHA(Q=x, K=a, V=a) (one audio token per frame, so the
attention is the per-frame audio vector `SingleKeyAttention` broadcast over the map); then 3x3 conv + GN + ReLU.
With `audio_attention="clip"` each pixel attends over the clip's T audio tokens (2-D + temporal positions, as in
EIM), so the injected audio varies across the map. `light_stride4` (the lite variant) replaces the stride-4
3x3 conv, the most expensive one (56x56 at 224 px), by a depthwise 3x3 + pointwise 1x1 pair (~9x fewer FLOPs).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from ccformer.model.layers import (
    Attention,
    SingleKeyAttention,
    clip_audio_tokens,
    group_norm_groups,
    sine_position,
)


def _conv_block(dim: int, light: bool = False) -> nn.Sequential:
    conv: list[nn.Module] = ([nn.Conv2d(dim, dim, 3, padding=1, groups=dim, bias=False), nn.Conv2d(dim, dim, 1, bias=False)]
                             if light else [nn.Conv2d(dim, dim, 3, padding=1, bias=False)])
    return nn.Sequential(*conv, nn.GroupNorm(group_norm_groups(dim), dim), nn.ReLU(inplace=True))


class PixelDecoder(nn.Module):
    """FPN with audio injection.

    Args (forward):
        levels: encoder outputs, coarse to fine (strides 32, 16, 8), each [N,d,h_l,w_l].
        high_res: stride-4 projected backbone map [N,d,H/4,W/4].
        audio: fused audio [N,d].
        batch: B (clips), used by audio_attention="clip".
    Returns:
        (memories coarse to fine [N,d,h_l,w_l] for the query decoder, mask features [N,d,H/4,W/4]).
    """

    def __init__(self, *, dim: int, num_levels: int = 4, audio_attention: str = "frame", num_heads: int = 8,
                 light_stride4: bool = False) -> None:
        super().__init__()
        self.clip = audio_attention == "clip"
        self.audio = nn.ModuleList((Attention(dim=dim, num_heads=num_heads) if self.clip else SingleKeyAttention(dim=dim))
                                   for _ in range(num_levels))
        self.blocks = nn.ModuleList(_conv_block(dim, light=light_stride4 and i == num_levels - 1)
                                    for i in range(num_levels))
        self.mask_proj = nn.Conv2d(dim, dim, 1)

    def _inject(self, i: int, x: Tensor, audio: Tensor, batch: int) -> Tensor:
        if not self.clip:
            return x + self.audio[i](audio[:, None, :])[:, 0, :, None, None]
        n, d, h, w = x.shape
        clip, clip_pos, own_pos = clip_audio_tokens(audio, batch)
        tokens = x.flatten(2).transpose(1, 2)
        pos = sine_position(h, w, d, device=x.device, dtype=x.dtype)[None]
        heard = self.audio[i](tokens + pos + own_pos, clip + clip_pos, clip)  # [N,hw,d]
        return x + heard.transpose(1, 2).reshape(n, d, h, w)

    def forward(self, levels: list[Tensor], high_res: Tensor, audio: Tensor,
                batch: int = 1) -> tuple[list[Tensor], Tensor]:
        outs: list[Tensor] = []
        x: Tensor | None = None
        for i, lateral in enumerate([*levels, high_res]):
            if x is not None:
                x = lateral + F.interpolate(x, size=lateral.shape[-2:], mode="bilinear", align_corners=False)
            else:
                x = lateral
            x = self._inject(i, x, audio, batch)
            x = self.blocks[i](x)
            outs.append(x)
        return outs[:-1], self.mask_proj(outs[-1])
