"""EIM, the Early Integration Module.

Abstract (claim 1 in ccformer-design.md): EIM uses "a parallel bilateral architecture, merging multi-scale visual
features with audio data to boost cross-modal complementarity".

Reconstruction (ccformer-design.md "EIM"; a documented default, not the published code): at every transformer
level both directions are computed from the same, not yet updated, inputs (that is what "parallel" means here):

    audio -> vision:  V' = LN(V + V * MHA(Q=V+pos, K=A, V=A))    (a gate, coefficient-like)
    vision -> audio:  A' = LN(A + A * MHA(Q=A, K=V+pos, V=V))    (reads the un-updated V)

then a depthwise 3x3 conv block on V' adds CNN-style local modelling next to the attention's global modelling.
With `audio_attention="frame"` (the first reconstruction) A is one audio token per frame, so the audio -> vision
attention is exactly a per-frame channel gate (`SingleKeyAttention`): it can say which channels matter, never
where. With `audio_attention="clip"` every pixel of frame t attends over the clip's T audio tokens, keys carrying
a temporal position and queries carrying the pixel's 2-D position plus frame t's temporal position, so the gate
differs from pixel to pixel ("merging multi-scale visual features with audio data" at every location). Levels run coarse to fine; the audio token is carried from one level to the next and the
last level's A' is the fused audio the MTM turns into queries.
"""

from __future__ import annotations

from torch import Tensor, nn

from ccformer.model.layers import (
    Attention,
    SingleKeyAttention,
    clip_audio_tokens,
    group_norm_groups,
    sine_position,
)

AUDIO_ATTENTION = ("frame", "clip")


class BilateralFusion(nn.Module):
    """One level of EIM: V [N,d,h,w], A [N,1,d] -> (V' [N,d,h,w], A' [N,1,d])."""

    def __init__(self, *, dim: int, num_heads: int, audio_attention: str = "frame") -> None:
        super().__init__()
        self.clip = audio_attention == "clip"
        self.audio_to_visual: nn.Module = (Attention(dim=dim, num_heads=num_heads) if self.clip
                                           else SingleKeyAttention(dim=dim))
        self.visual_to_audio = Attention(dim=dim, num_heads=num_heads)
        self.norm_visual = nn.LayerNorm(dim)
        self.norm_audio = nn.LayerNorm(dim)
        self.local = nn.Sequential(
            nn.Conv2d(dim, dim, 3, padding=1, groups=dim, bias=False),
            nn.GroupNorm(group_norm_groups(dim), dim),
            nn.GELU(),
            nn.Conv2d(dim, dim, 1),
        )

    def forward(self, visual: Tensor, audio: Tensor, batch: int = 1) -> tuple[Tensor, Tensor]:
        n, d, h, w = visual.shape
        tokens = visual.flatten(2).transpose(1, 2)  # [N,hw,d]
        pos = sine_position(h, w, d, device=visual.device, dtype=visual.dtype)[None]
        # Both directions read the same inputs (parallel bilateral).
        if self.clip:
            clip, clip_pos, own_pos = clip_audio_tokens(audio[:, 0], batch)
            gate_v = self.audio_to_visual(tokens + pos + own_pos, clip + clip_pos, clip)  # [N,hw,d] per pixel
        else:
            gate_v = self.audio_to_visual(audio)  # [N,1,d], broadcast over the hw tokens
        gate_a = self.visual_to_audio(audio, tokens + pos, tokens)  # [N,1,d]
        tokens = self.norm_visual(tokens + tokens * gate_v)
        audio = self.norm_audio(audio + audio * gate_a)
        fused = tokens.transpose(1, 2).reshape(n, d, h, w)
        return fused + self.local(fused), audio


class EarlyIntegration(nn.Module):
    """EIM over the transformer levels.

    Args:
        visual: per-level maps, coarse to fine, each [N,d,h_l,w_l].
        audio: [N,d] projected audio embedding, one per frame (N = batch x T, frame-major within a clip).
        batch: B, so that each frame can find its clip's T audio tokens (audio_attention="clip").
    Returns:
        (fused maps in the same order and shapes, fused audio [N,d]).
    """

    def __init__(self, *, dim: int, num_heads: int, num_levels: int, audio_attention: str = "frame") -> None:
        super().__init__()
        if audio_attention not in AUDIO_ATTENTION:
            raise ValueError(f"audio_attention must be one of {AUDIO_ATTENTION}, got {audio_attention!r}")
        self.levels = nn.ModuleList(BilateralFusion(dim=dim, num_heads=num_heads, audio_attention=audio_attention)
                                    for _ in range(num_levels))

    def forward(self, visual: list[Tensor], audio: Tensor, batch: int = 1) -> tuple[list[Tensor], Tensor]:
        a = audio[:, None, :]
        out = []
        for level, v in zip(self.levels, visual, strict=True):
            v, a = level(v, a, batch)
            out.append(v)
        return out, a[:, 0, :]
