"""Pixel decoder: an FPN from stride 32 to stride 4 with audio cross-attention at every level.

ccformer-design.md "MTM": "Pixel decoder: FPN from stride 32 to stride 4 with audio cross-attention at each level
-> mask features (d at stride 4)". It serves the abstract's MTM claim (intra-frame spatial features,
ccformer-design.md claim 2) by giving the queries audio-aware multi-scale memories and a mask embedding.

Each level: x = upsample(coarser) + lateral; x = x + MHA(Q=x, K=a, V=a) (one audio token per frame, so the
attention is the per-frame audio vector `SingleKeyAttention` broadcast over the map); then 3x3 conv + GN + ReLU.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

from ccformer.model.layers import SingleKeyAttention, group_norm_groups


def _conv_block(dim: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(dim, dim, 3, padding=1, bias=False),
                         nn.GroupNorm(group_norm_groups(dim), dim), nn.ReLU(inplace=True))


class PixelDecoder(nn.Module):
    """FPN with audio injection.

    Args (forward):
        levels: encoder outputs, coarse to fine (strides 32, 16, 8), each [N,d,h_l,w_l].
        high_res: stride-4 projected backbone map [N,d,H/4,W/4].
        audio: fused audio [N,d].
    Returns:
        (memories coarse to fine [N,d,h_l,w_l] for the query decoder, mask features [N,d,H/4,W/4]).
    """

    def __init__(self, *, dim: int, num_levels: int = 4) -> None:
        super().__init__()
        self.audio = nn.ModuleList(SingleKeyAttention(dim=dim) for _ in range(num_levels))
        self.blocks = nn.ModuleList(_conv_block(dim) for _ in range(num_levels))
        self.mask_proj = nn.Conv2d(dim, dim, 1)

    def forward(self, levels: list[Tensor], high_res: Tensor, audio: Tensor) -> tuple[list[Tensor], Tensor]:
        a = audio[:, None, :]
        outs: list[Tensor] = []
        x: Tensor | None = None
        for i, lateral in enumerate([*levels, high_res]):
            if x is not None:
                x = lateral + F.interpolate(x, size=lateral.shape[-2:], mode="bilinear", align_corners=False)
            else:
                x = lateral
            x = x + self.audio[i](a)[:, 0, :, None, None]
            x = self.blocks[i](x)
            outs.append(x)
        return outs[:-1], self.mask_proj(outs[-1])
