"""PVT-v2 (b0, b1, b2, b5) feature extractors keyed exactly like the official `pvt_v2_b*.pth` checkpoints.

Design reference: ccformer-design.md "Backbones and inputs" (PVT-v2-b5 channels 64/128/320/512 at strides
4/8/16/32; pvt_v2_b0 for CPU). Architecture per the PVTv2 paper (Wang et al., 2022): overlapping patch embedding,
spatial-reduction attention, a depth-wise 3x3 conv inside the MLP. Parameter names: `patch_embed{i}.proj/norm`,
`block{i}.{j}.norm1`, `.attn.q/kv/sr/norm/proj`, `.norm2`, `.mlp.fc1/dwconv.dwconv/fc2`, `norm{i}`; the classifier
`head.*` is not built (`ignored` on load). Published configs: heads 1/2/5/8, sr ratios 8/4/2/1, qkv bias, LayerNorm
eps 1e-6 in blocks and stage norms (1e-5 in patch_embed.norm and attn.norm); MLP ratios 8/8/4/4 for b0-b4 and 4/4/4/4 for b5 (the checkpoints' fc1 shapes require exactly these).
ONNX: H and W are read from tensor shapes only; no Python branch depends on tensor values.
"""

from __future__ import annotations

import re

from torch import Tensor, nn

from ccformer.backbones import Backbone

__all__ = ["PyramidVisionTransformerV2", "pvt_v2_b0", "pvt_v2_b1", "pvt_v2_b2", "pvt_v2_b5", "timm_key_to_official"]


class DropPath(nn.Module):
    """Stochastic depth per sample (identity at eval or when p == 0). x [N,...] -> same shape."""

    def __init__(self, p: float = 0.0) -> None:
        super().__init__()
        self.p = p

    def forward(self, x: Tensor) -> Tensor:
        if self.p == 0.0 or not self.training:
            return x
        keep = 1.0 - self.p
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
        return x * mask / keep


class OverlapPatchEmbed(nn.Module):
    """Strided conv with overlap + LayerNorm. x [N,cin,H,W] -> (tokens [N,H'*W',dim], H', W')."""

    def __init__(self, cin: int, dim: int, patch: int, stride: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(cin, dim, patch, stride=stride, padding=patch // 2)
        self.norm = nn.LayerNorm(dim, eps=1e-5)  # official: default eps here and in attn.norm

    def forward(self, x: Tensor) -> tuple[Tensor, int, int]:
        x = self.proj(x)
        h, w = x.shape[2], x.shape[3]
        return self.norm(x.flatten(2).transpose(1, 2)), h, w


class DWConv(nn.Module):
    """Depth-wise 3x3 conv on a token sequence. x [N,H*W,C] -> [N,H*W,C]."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        n, _, c = x.shape
        x = self.dwconv(x.transpose(1, 2).reshape(n, c, h, w))
        return x.flatten(2).transpose(1, 2)


class Mlp(nn.Module):
    """fc1 -> DWConv -> GELU -> fc2 (the PVTv2 "convolutional feed-forward"). x [N,L,C] -> [N,L,C]."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.dwconv = DWConv(hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        return self.fc2(self.act(self.dwconv(self.fc1(x), h, w)))


class Attention(nn.Module):
    """Spatial-reduction attention: keys/values from a sr x sr strided conv of the map. x [N,H*W,C] -> same."""

    def __init__(self, dim: int, num_heads: int, sr_ratio: int) -> None:
        super().__init__()
        self.num_heads = num_heads
        self.scale = (dim // num_heads) ** -0.5
        self.q = nn.Linear(dim, dim, bias=True)
        self.kv = nn.Linear(dim, dim * 2, bias=True)
        self.proj = nn.Linear(dim, dim)
        self.sr_ratio = sr_ratio
        if sr_ratio > 1:
            self.sr = nn.Conv2d(dim, dim, sr_ratio, stride=sr_ratio)
            self.norm = nn.LayerNorm(dim, eps=1e-5)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        n, length, c = x.shape
        hd = c // self.num_heads
        q = self.q(x).reshape(n, length, self.num_heads, hd).transpose(1, 2)  # [N,heads,L,hd]
        if self.sr_ratio > 1:
            x = self.sr(x.transpose(1, 2).reshape(n, c, h, w)).flatten(2).transpose(1, 2)
            x = self.norm(x)
        kv = self.kv(x).reshape(n, -1, 2, self.num_heads, hd).permute(2, 0, 3, 1, 4)  # [2,N,heads,L',hd]
        attn = (q @ kv[0].transpose(-2, -1)) * self.scale
        out = attn.softmax(dim=-1) @ kv[1]  # [N,heads,L,hd]
        return self.proj(out.transpose(1, 2).reshape(n, length, c))


class Block(nn.Module):
    """Pre-norm transformer block: x + attn(norm1(x)); x + mlp(norm2(x)). x [N,H*W,C] -> same."""

    def __init__(self, dim: int, num_heads: int, mlp_ratio: int, sr_ratio: int, drop_path: float) -> None:
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, num_heads, sr_ratio)
        self.drop_path = DropPath(drop_path)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, dim * mlp_ratio)

    def forward(self, x: Tensor, h: int, w: int) -> Tensor:
        x = x + self.drop_path(self.attn(self.norm1(x), h, w))
        return x + self.drop_path(self.mlp(self.norm2(x), h, w))


def timm_key_to_official(key: str) -> str:
    """Map a timm `pvt_v2_*` key to the official layout (official keys pass through unchanged).

    timm: patch_embed.*, stages.{i}.downsample.*, stages.{i}.blocks.{j}.*, mlp.dwconv.{weight,bias},
    stages.{i}.norm.* -> official: patch_embed1.*, patch_embed{i+1}.*, block{i+1}.{j}.*, mlp.dwconv.dwconv.*,
    norm{i+1}.*.
    """
    key = re.sub(r"^patch_embed\.", "patch_embed1.", key)
    key = re.sub(r"^stages\.(\d+)\.downsample\.", lambda m: f"patch_embed{int(m[1]) + 1}.", key)
    key = re.sub(r"^stages\.(\d+)\.blocks\.", lambda m: f"block{int(m[1]) + 1}.", key)
    key = re.sub(r"^stages\.(\d+)\.norm\.", lambda m: f"norm{int(m[1]) + 1}.", key)
    return re.sub(r"\.mlp\.dwconv\.(weight|bias)$", r".mlp.dwconv.dwconv.\1", key)


class PyramidVisionTransformerV2(Backbone):
    """Four PVT-v2 stages; forward returns each stage's normed map (strides 4, 8, 16, 32).

    x [N,3,H,W] -> [N,d0,H/4,W/4], [N,d1,H/8,W/8], [N,d2,H/16,W/16], [N,d3,H/32,W/32].
    `remap_key` lets `build_backbone` also load timm-format files (e.g. from the Hugging Face hub).
    """

    remap_key = staticmethod(timm_key_to_official)

    def __init__(
        self,
        *,
        embed_dims: tuple[int, int, int, int],
        depths: tuple[int, int, int, int],
        mlp_ratios: tuple[int, int, int, int],
        num_heads: tuple[int, int, int, int] = (1, 2, 5, 8),
        sr_ratios: tuple[int, int, int, int] = (8, 4, 2, 1),
        drop_path_rate: float = 0.0,
    ) -> None:
        super().__init__()
        self.out_channels = embed_dims
        total = sum(depths)
        rates = [drop_path_rate * i / max(total - 1, 1) for i in range(total)]  # linear decay rule
        cur = 0
        for i in range(4):
            embed = OverlapPatchEmbed(3 if i == 0 else embed_dims[i - 1], embed_dims[i], 7 if i == 0 else 3,
                                      4 if i == 0 else 2)
            blocks = nn.ModuleList(
                Block(embed_dims[i], num_heads[i], mlp_ratios[i], sr_ratios[i], rates[cur + j])
                for j in range(depths[i])
            )
            cur += depths[i]
            setattr(self, f"patch_embed{i + 1}", embed)
            setattr(self, f"block{i + 1}", blocks)
            setattr(self, f"norm{i + 1}", nn.LayerNorm(embed_dims[i], eps=1e-6))
        self.apply(_init_weights)

    def forward(self, x: Tensor) -> list[Tensor]:
        outs: list[Tensor] = []
        n = x.shape[0]
        for i in range(1, 5):
            tokens, h, w = getattr(self, f"patch_embed{i}")(x)
            for blk in getattr(self, f"block{i}"):
                tokens = blk(tokens, h, w)
            tokens = getattr(self, f"norm{i}")(tokens)
            x = tokens.transpose(1, 2).reshape(n, -1, h, w)
            outs.append(x)
        return outs


def _init_weights(m: nn.Module) -> None:
    """Official init: trunc-normal(0.02) linears, unit LayerNorms, fan-out normal convs."""
    if isinstance(m, nn.Linear):
        nn.init.trunc_normal_(m.weight, std=0.02)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.LayerNorm):
        nn.init.ones_(m.weight)
        nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Conv2d):
        fan_out = m.kernel_size[0] * m.kernel_size[1] * m.out_channels // m.groups
        nn.init.normal_(m.weight, 0.0, (2.0 / fan_out) ** 0.5)
        if m.bias is not None:
            nn.init.zeros_(m.bias)


def pvt_v2_b0(*, drop_path_rate: float = 0.0) -> PyramidVisionTransformerV2:
    """dims 32/64/160/256, depths 2/2/2/2 (3.4 M params without head)."""
    return PyramidVisionTransformerV2(embed_dims=(32, 64, 160, 256), depths=(2, 2, 2, 2), mlp_ratios=(8, 8, 4, 4),
                                      drop_path_rate=drop_path_rate)


def pvt_v2_b1(*, drop_path_rate: float = 0.0) -> PyramidVisionTransformerV2:
    """dims 64/128/320/512, depths 2/2/2/2."""
    return PyramidVisionTransformerV2(embed_dims=(64, 128, 320, 512), depths=(2, 2, 2, 2), mlp_ratios=(8, 8, 4, 4),
                                      drop_path_rate=drop_path_rate)


def pvt_v2_b2(*, drop_path_rate: float = 0.0) -> PyramidVisionTransformerV2:
    """dims 64/128/320/512, depths 3/4/6/3."""
    return PyramidVisionTransformerV2(embed_dims=(64, 128, 320, 512), depths=(3, 4, 6, 3), mlp_ratios=(8, 8, 4, 4),
                                      drop_path_rate=drop_path_rate)


def pvt_v2_b5(*, drop_path_rate: float = 0.0) -> PyramidVisionTransformerV2:
    """dims 64/128/320/512, depths 3/6/40/3, MLP ratio 4 everywhere (the paper-scale CCFormer backbone)."""
    return PyramidVisionTransformerV2(embed_dims=(64, 128, 320, 512), depths=(3, 6, 40, 3), mlp_ratios=(4, 4, 4, 4),
                                      drop_path_rate=drop_path_rate)
