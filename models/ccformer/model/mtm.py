"""MTM, the Multi-query Transformer Module (query side; the frame encoder is `encoder.py`).

Abstract (claim 2 in ccformer-design.md): the MTM "dynamically endows audio queries with learning capabilities and
models the frame and video-level relations simultaneously"; it extracts intra-frame spatial features and
perceives temporal coherence.

Reconstruction (ccformer-design.md "MTM"; documented defaults):
- "dynamically endows audio queries": each frame's fused audio embedding -> MLP -> `num_queries` query contents
  (dynamic), plus a learnable `nn.Embedding(num_queries, d)` used as the query position (learnable).
- frame level: L decoder layers (cross-attention to one memory level, round robin coarse -> fine as in
  Mask2Former, then self-attention, then FFN); the caller predicts masks after every layer (deep supervision).
- video level (switch `video_queries`): `num_queries` video queries, initialised from the clip's mean audio
  embedding through an MLP plus a learnable embedding, cross-attend to all T x Q frame queries of the clip, then
  self-attention + FFN; a linear map of the result is added back to every frame's queries. One video layer
  follows each decoder layer, so frame- and video-level relations are modelled together, layer by layer.
  With `temporal_pos` the frame queries, as the video queries' keys, carry their frame's 1-D sine temporal
  position on top of the query embedding; without it the T x Q keys are an unordered set and the video level
  cannot tell frame order ("perceives temporal coherence" needs it).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from ccformer.model.layers import FFN, MLP, ResidualAttention, sine_position, temporal_position


class QueryLayer(nn.Module):
    """Cross-attention to a memory, self-attention, FFN. q [N,Q,d] -> [N,Q,d]."""

    def __init__(self, *, dim: int, num_heads: int, ffn_dim: int) -> None:
        super().__init__()
        self.cross = ResidualAttention(dim=dim, num_heads=num_heads)
        self.self_attn = ResidualAttention(dim=dim, num_heads=num_heads)
        self.ffn = FFN(dim=dim, hidden=ffn_dim)

    def forward(self, q: Tensor, q_pos: Tensor, memory: Tensor, memory_pos: Tensor | None) -> Tensor:
        q = self.cross(q, memory, pos=q_pos, memory_pos=memory_pos)
        q = self.self_attn(q, q, pos=q_pos, memory_pos=q_pos)
        return self.ffn(q)


class VideoQueries(nn.Module):
    """Video-level queries over a clip: frame queries [B,T,Q,d] -> frame queries with the video context added."""

    def __init__(self, *, dim: int, num_heads: int, ffn_dim: int, num_queries: int, num_layers: int,
                 temporal_pos: bool = False) -> None:
        super().__init__()
        self.num_queries = num_queries
        self.temporal_pos = temporal_pos
        self.init = MLP(dim, dim, num_queries * dim, 2)
        self.embed = nn.Embedding(num_queries, dim)
        self.layers = nn.ModuleList(
            QueryLayer(dim=dim, num_heads=num_heads, ffn_dim=ffn_dim) for _ in range(num_layers))
        self.back = nn.ModuleList(nn.Linear(dim, dim) for _ in range(num_layers))

    def initial(self, audio: Tensor) -> Tensor:
        """audio [B,T,d] -> initial video queries [B,Q,d] from the clip's mean audio embedding."""
        b, _, d = audio.shape
        return self.init(audio.mean(dim=1)).reshape(b, self.num_queries, d)

    def forward(self, i: int, video: Tensor, frames: Tensor, frame_pos: Tensor) -> tuple[Tensor, Tensor]:
        """Layer i. video [B,Q,d]; frames [B,T,Q,d]; frame_pos [Q,d] -> (video', frames + back(video'))."""
        b, _, q, d = frames.shape
        memory = frames.reshape(b, -1, d)  # all T x Q frame queries of the clip
        t = frames.shape[1]
        pos = frame_pos[None, None].expand(b, t, q, d)
        if self.temporal_pos:
            pos = pos + temporal_position(t, d, device=frames.device, dtype=frames.dtype)[None, :, None]
        memory_pos = pos.reshape(b, -1, d)
        video = self.layers[i](video, self.embed.weight[None], memory, memory_pos)
        return video, frames + self.back[i](video)[:, None]


class MultiQueryTransformer(nn.Module):
    """Query decoder of the MTM.

    Args (forward):
        audio: fused audio embedding per frame [B*T,d] (frame-major within each clip).
        memories: pixel-decoder maps coarse to fine, each [B*T,d,h_l,w_l].
        batch: B (clips), so that frames can be grouped per clip for the video queries.
    Returns:
        query states after every decoder layer, each [B*T,Q,d] (the last one is the final output).
    """

    def __init__(self, *, dim: int, num_heads: int, ffn_dim: int, num_layers: int, num_queries: int,
                 num_levels: int = 3, video_queries: bool = True, video_temporal_pos: bool = False) -> None:
        super().__init__()
        self.num_queries = num_queries
        self.query_gen = MLP(dim, dim, num_queries * dim, 2)  # dynamic audio queries
        self.query_embed = nn.Embedding(num_queries, dim)  # learnable query embedding
        self.level_embed = nn.Parameter(torch.randn(num_levels, dim) * 0.02)
        self.layers = nn.ModuleList(
            QueryLayer(dim=dim, num_heads=num_heads, ffn_dim=ffn_dim) for _ in range(num_layers))
        self.video = (VideoQueries(dim=dim, num_heads=num_heads, ffn_dim=ffn_dim, num_queries=num_queries,
                                   num_layers=num_layers, temporal_pos=video_temporal_pos)
                      if video_queries else None)

    def forward(self, audio: Tensor, memories: list[Tensor], *, batch: int) -> list[Tensor]:
        n, d = audio.shape
        q = self.query_gen(audio).reshape(n, self.num_queries, d)
        q_pos = self.query_embed.weight[None]
        mems, mem_pos = [], []
        for i, m in enumerate(memories):
            h, w = int(m.shape[-2]), int(m.shape[-1])
            mems.append(m.flatten(2).transpose(1, 2))
            pos = sine_position(h, w, d, device=m.device, dtype=m.dtype) + self.level_embed[i]
            mem_pos.append(pos[None])
        video = None
        if self.video is not None:
            video = self.video.initial(audio.reshape(batch, -1, d))
        states = []
        for i, layer in enumerate(self.layers):
            lvl = i % len(mems)
            q = layer(q, q_pos, mems[lvl], mem_pos[lvl])
            if self.video is not None and video is not None:
                frames = q.reshape(batch, -1, self.num_queries, d)
                video, frames = self.video(i, video, frames, self.query_embed.weight)
                q = frames.reshape(n, self.num_queries, d)
            states.append(q)
        return states
