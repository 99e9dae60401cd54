"""Small building blocks shared by the CCFormer modules. Everything here exports to ONNX (opset >= 17).

Attention is written on `F.scaled_dot_product_attention` instead of `nn.MultiheadAttention`, whose inference
fast path (`_native_multi_head_attention`) is not something the ONNX exporters should have to trace.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def group_norm_groups(dim: int, max_groups: int = 32) -> int:
    """GroupNorm(32) at paper width; fewer groups (>= 4 channels each) for the small CPU widths."""
    g = max_groups
    while g > 1 and (dim % g or dim // g < 4):
        g //= 2
    return g


def conv_norm(in_ch: int, out_ch: int, kernel: int = 1) -> nn.Sequential:
    """Conv (1x1 by default) + GroupNorm: the per-level projection of ccformer-design.md to `d_model`."""
    return nn.Sequential(
        nn.Conv2d(in_ch, out_ch, kernel, padding=kernel // 2, bias=False),
        nn.GroupNorm(group_norm_groups(out_ch), out_ch),
    )


def sine_position(h: int, w: int, dim: int, *, device: torch.device, dtype: torch.dtype,
                  temperature: float = 10000.0) -> Tensor:
    """DETR's normalised 2-D sine position embedding for an h x w grid -> [h*w, dim] (dim divisible by 4).

    h and w are Python ints (static in an export at a fixed input size), so exporters fold this to a constant.
    Computed in float32 (bf16 would round the frequencies) and cast to `dtype`.
    """
    npf = dim // 2
    scale = 2 * math.pi
    f32 = torch.float32
    y = (torch.arange(h, device=device, dtype=f32) + 1) / h * scale
    x = (torch.arange(w, device=device, dtype=f32) + 1) / w * scale
    dim_t = torch.arange(npf, device=device, dtype=f32)
    dim_t = temperature ** (2 * torch.div(dim_t, 2, rounding_mode="floor") / npf)
    px = x[:, None] / dim_t  # [w, npf]
    py = y[:, None] / dim_t  # [h, npf]
    px = torch.stack((px[:, 0::2].sin(), px[:, 1::2].cos()), dim=2).flatten(1)
    py = torch.stack((py[:, 0::2].sin(), py[:, 1::2].cos()), dim=2).flatten(1)
    pos = torch.cat((py[:, None, :].expand(h, w, npf), px[None, :, :].expand(h, w, npf)), dim=-1)
    return pos.reshape(h * w, dim).to(dtype)


def temporal_position(t: int, dim: int, *, device: torch.device, dtype: torch.dtype,
                      temperature: float = 10000.0) -> Tensor:
    """1-D sine embedding of the frame index 0..t-1 -> [t, dim] (the transformer's; unnormalised, so frame k has
    the same code whatever the clip length). Why not a learned table: t is the ONNX graph's dynamic axis (5 or 10
    seconds), and this stays exact for every t the exporter does not see."""
    k = torch.arange(t, device=device, dtype=torch.float32)[:, None]
    dim_t = torch.arange(dim // 2, device=device, dtype=torch.float32)
    freq = temperature ** (-2 * dim_t / dim)
    angle = k * freq[None]
    return torch.cat((angle.sin(), angle.cos()), dim=-1).to(dtype)


def clip_audio_tokens(audio: Tensor, batch: int) -> tuple[Tensor, Tensor, Tensor]:
    """Per-frame audio [B*T,d] -> (every frame's copy of its clip's T audio tokens [B*T,T,d], their temporal
    positions [1,T,d], each frame's own temporal position [B*T,1,d]): the keys/values of attention over the clip's
    audio, DETR-style (positions go into queries and keys, never values)."""
    n, d = audio.shape
    t = n // batch
    tpos = temporal_position(t, d, device=audio.device, dtype=audio.dtype)  # [T,d]
    tokens = audio.reshape(batch, 1, t, d).expand(batch, t, t, d).reshape(n, t, d)
    own = tpos[None].expand(batch, t, d).reshape(n, 1, d)
    return tokens, tpos[None], own


class Attention(nn.Module):
    """Multi-head attention: query [N,Lq,d], key [N,Lk,d], value [N,Lk,d] -> [N,Lq,d]."""

    def __init__(self, *, dim: int, num_heads: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.q = nn.Linear(dim, dim)
        self.k = nn.Linear(dim, dim)
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def _heads(self, x: Tensor) -> Tensor:
        n, length, d = x.shape
        return x.reshape(n, length, self.num_heads, d // self.num_heads).transpose(1, 2)

    def forward(self, query: Tensor, key: Tensor, value: Tensor) -> Tensor:
        n, lq, d = query.shape
        o = F.scaled_dot_product_attention(self._heads(self.q(query)), self._heads(self.k(key)),
                                           self._heads(self.v(value)))
        return self.out(o.transpose(1, 2).reshape(n, lq, d))


class SingleKeyAttention(nn.Module):
    """Attention to one audio token per frame: query [N,L,d], audio [N,1,d] -> [N,1,d] (broadcasts over L).

    With a single key the softmax is exactly 1 for every query and head, so MHA(Q, K=a, V=a) equals
    out_proj(v_proj(a)) whatever Q is. Writing it that way is the same function without the dead Q/K
    projections (which would otherwise never receive a gradient) and without an L-fold wasted matmul.
    """

    def __init__(self, *, dim: int) -> None:
        super().__init__()
        self.v = nn.Linear(dim, dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, audio: Tensor) -> Tensor:
        return self.out(self.v(audio))


class ResidualAttention(nn.Module):
    """Post-norm residual attention block (DETR/Mask2Former order): x = LN(x + Attn(x + pos, mem + mem_pos, mem))."""

    def __init__(self, *, dim: int, num_heads: int) -> None:
        super().__init__()
        self.attn = Attention(dim=dim, num_heads=num_heads)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor, memory: Tensor, *, pos: Tensor | None = None,
                memory_pos: Tensor | None = None) -> Tensor:
        q = x if pos is None else x + pos
        k = memory if memory_pos is None else memory + memory_pos
        return self.norm(x + self.attn(q, k, memory))


class FFN(nn.Module):
    """Post-norm residual feed-forward block: x [.., d] -> LN(x + W2 relu(W1 x))."""

    def __init__(self, *, dim: int, hidden: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(inplace=True), nn.Linear(hidden, dim))
        self.norm = nn.LayerNorm(dim)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(x + self.net(x))


class MLP(nn.Module):
    """`num_layers` Linear layers with ReLU between them (DETR's MLP): [.., in_dim] -> [.., out_dim]."""

    def __init__(self, in_dim: int, hidden: int, out_dim: int, num_layers: int) -> None:
        super().__init__()
        dims = [in_dim] + [hidden] * (num_layers - 1) + [out_dim]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:], strict=True))

    def forward(self, x: Tensor) -> Tensor:
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.relu(x)
        return x
