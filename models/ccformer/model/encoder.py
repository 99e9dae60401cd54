"""Frame-level transformer encoder of the MTM over one frame's multi-scale tokens.

Abstract (claim 2 in ccformer-design.md, paraphrased there): the MTM extracts intra-frame spatial features.
ccformer-design.md: "a transformer encoder over
the frame's multi-scale tokens (deformable attention in the lineage; plain multi-scale attention acceptable if it
exports to ONNX)". Deformable attention's grid-sample gather does not export cleanly, so this is plain attention:
every token of strides 8/16/32 (with level + sine position embeddings) attends to all levels' tokens, where the
stride-8 keys/values are average-pooled by `kv_pool` (PVT-style spatial reduction) to keep the cost near the
backbone's at 224x224.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ccformer.model.layers import FFN, ResidualAttention, sine_position


class EncoderLayer(nn.Module):
    """x [N,S,d] (+ pos [1,S,d]) attends to keys [N,K,d] (+ key_pos [1,K,d]); then FFN."""

    def __init__(self, *, dim: int, num_heads: int, ffn_dim: int) -> None:
        super().__init__()
        self.attn = ResidualAttention(dim=dim, num_heads=num_heads)
        self.ffn = FFN(dim=dim, hidden=ffn_dim)

    def forward(self, x: Tensor, pos: Tensor, keys: Tensor, key_pos: Tensor) -> Tensor:
        return self.ffn(self.attn(x, keys, pos=pos, memory_pos=key_pos))


class FrameEncoder(nn.Module):
    """Multi-scale encoder. levels: fine to coarse (strides 8, 16, 32, or 16, 32 with num_levels=2), each
    [N,d,h_l,w_l] -> same shapes."""

    def __init__(self, *, dim: int, num_heads: int, ffn_dim: int, num_layers: int, num_levels: int = 3,
                 kv_pool: int = 2) -> None:
        super().__init__()
        self.kv_pool = kv_pool
        self.level_embed = nn.Parameter(torch.randn(num_levels, dim) * 0.02)
        self.layers = nn.ModuleList(
            EncoderLayer(dim=dim, num_heads=num_heads, ffn_dim=ffn_dim) for _ in range(num_layers))

    def _pool_first(self, x: Tensor, shapes: list[tuple[int, int]]) -> Tensor:
        """Tokens [N,S,d] -> key tokens [N,K,d]: the finest level pooled by kv_pool, the others as they are."""
        if self.kv_pool == 1:
            return x
        n, _, d = x.shape
        sizes = [h * w for h, w in shapes]
        parts = list(torch.split(x, sizes, dim=1))
        h, w = shapes[0]
        fine = parts[0].transpose(1, 2).reshape(n, d, h, w)
        fine = F.avg_pool2d(fine, self.kv_pool, self.kv_pool, ceil_mode=True)
        parts[0] = fine.flatten(2).transpose(1, 2)
        return torch.cat(parts, dim=1)

    def forward(self, levels: list[Tensor]) -> list[Tensor]:
        n, d = levels[0].shape[:2]
        shapes = [(int(v.shape[-2]), int(v.shape[-1])) for v in levels]
        kw = {"device": levels[0].device, "dtype": levels[0].dtype}
        pos = [sine_position(h, w, d, **kw) + self.level_embed[i] for i, (h, w) in enumerate(shapes)]
        key_shapes = list(shapes)
        key_pos = list(pos)
        if self.kv_pool > 1:
            h, w = shapes[0]
            key_shapes[0] = (-(-h // self.kv_pool), -(-w // self.kv_pool))
            key_pos[0] = sine_position(*key_shapes[0], d, **kw) + self.level_embed[0]
        x = torch.cat([v.flatten(2).transpose(1, 2) for v in levels], dim=1)  # [N,S,d]
        p = torch.cat(pos, dim=0)[None]
        kp = torch.cat(key_pos, dim=0)[None]
        for layer in self.layers:
            x = layer(x, p, self._pool_first(x, shapes), kp)
        out = torch.split(x, [h * w for h, w in shapes], dim=1)
        return [t.transpose(1, 2).reshape(n, d, h, w) for t, (h, w) in zip(out, shapes, strict=True)]
