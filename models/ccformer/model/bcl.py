"""BCL, Bi-modal Contrastive Learning: projection heads (in the model) and the loss (used by the criterion).

Abstract (claim 3 in ccformer-design.md): BCL is meant to "promote the alignment across both modalities in the
unified feature space" (described elsewhere as video-level).

Reconstruction (ccformer-design.md "BCL"): two 3-layer MLP projection heads, one on each frame's audio embedding,
one on the visually grounded query output (mean of the final queries); L2-normalised; InfoNCE in both directions
with a fixed temperature tau = 0.07. Positive: the same video's same frame. Negatives: frames of *other* videos
in the batch; the other frames of the same video are excluded (video-aware: neighbouring seconds often share the
sounding object, so pushing them apart would be wrong). `mode="video"` pools each clip over its valid seconds
first and contrasts clips. Padded seconds (`valid` False) are neither anchors nor negatives.

Shortcut watch: with the default target the visual side is the mean of queries generated from the same audio, so
the loss can fall to ~0 without the picture (issue 13). `last_accuracy` (audio -> visual retrieval top-1 over the
allowed candidates) is logged, and `collapse_warning` flags a first epoch whose loss ends below `COLLAPSE_LOSS`.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ccformer.model.layers import MLP

COLLAPSE_LOSS = 0.05  # InfoNCE this low in the first epoch: solved without looking, not learned


def collapse_warning(first_epoch_losses: list[float], threshold: float = COLLAPSE_LOSS) -> str | None:
    """A warning when the (unweighted) BCL loss over the last half of the first epoch's steps averages below
    `threshold`, else None. Why the first epoch: a real audio-visual alignment takes many epochs to learn; a loss
    that is ~0 at once is read off the audio itself (the visual embedding is a function of the audio)."""
    tail = first_epoch_losses[len(first_epoch_losses) // 2:]
    if not tail:
        return None
    mean = sum(tail) / len(tail)
    if mean >= threshold:
        return None
    return (f"BCL loss collapsed to {mean:.4f} (< {threshold}) in the first epoch: the contrastive task is solved "
            "without the picture (a shortcut); try model.bcl_target=mask_pooled")


class ProjectionHead(MLP):
    """3-layer MLP projection head: [.., in_dim] -> [.., out_dim] (not normalised; the loss normalises)."""

    def __init__(self, *, in_dim: int, out_dim: int) -> None:
        super().__init__(in_dim, in_dim, out_dim, 3)


def _info_nce(logits: Tensor, allowed: Tensor, anchors: Tensor) -> Tensor:
    """Mean cross-entropy of rows `anchors` of `logits` [M,M] with target = diagonal; `allowed` [M,M] masks
    out non-candidates (the diagonal must be allowed for every anchor row)."""
    logits = logits.masked_fill(~allowed, float("-inf"))
    target = torch.arange(logits.shape[0], device=logits.device)
    loss = F.cross_entropy(logits, target, reduction="none")
    weights = anchors.to(loss.dtype)
    return (loss * weights).sum() / weights.sum().clamp_min(1.0)


class BiModalContrastiveLoss(nn.Module):
    """Symmetric, video-aware InfoNCE between audio and visual embeddings.

    forward(audio_embed [B,T,D], visual_embed [B,T,D], valid Tensor[bool] [B,T] | None) -> scalar loss.
    Returns 0 (with a gradient path) when the batch has no negatives (a single clip).
    """

    def __init__(self, tau: float = 0.07, mode: str = "frame") -> None:
        super().__init__()
        if mode not in ("frame", "video"):
            raise ValueError(f"BCL mode must be 'frame' or 'video', got {mode!r}")
        self.tau = tau
        self.mode = mode
        self.last_accuracy: Tensor | None = None  # audio -> visual top-1 retrieval of the last call (no grad)

    def forward(self, audio_embed: Tensor, visual_embed: Tensor, valid: Tensor | None = None) -> Tensor:
        b, t, _ = audio_embed.shape
        if valid is None:
            valid = torch.ones(b, t, dtype=torch.bool, device=audio_embed.device)
        valid = valid.to(device=audio_embed.device, dtype=torch.bool)
        if self.mode == "video":
            w = valid.to(audio_embed.dtype)[..., None]
            denom = w.sum(dim=1).clamp_min(1.0)
            a = (audio_embed * w).sum(dim=1) / denom  # [B,D]
            v = (visual_embed * w).sum(dim=1) / denom
            video_id = torch.arange(b, device=a.device)
            ok = valid.any(dim=1)
        else:
            a, v = audio_embed.reshape(b * t, -1), visual_embed.reshape(b * t, -1)
            video_id = torch.arange(b, device=a.device).repeat_interleave(t)
            ok = valid.reshape(-1)
        a, v = F.normalize(a, dim=-1), F.normalize(v, dim=-1)
        logits = a @ v.t() / self.tau  # [M,M]: audio i vs visual j
        m = logits.shape[0]
        eye = torch.eye(m, dtype=torch.bool, device=a.device)
        other_video = video_id[:, None] != video_id[None, :]
        allowed = (eye | other_video) & ok[:, None] & ok[None, :]
        allowed = allowed | eye  # rows of padded anchors stay finite; they are not averaged anyway
        has_negative = (allowed & ~eye).any(dim=1)
        anchors = ok & has_negative
        with torch.no_grad():
            hit = logits.masked_fill(~allowed, float("-inf")).argmax(dim=1) == torch.arange(m, device=a.device)
            w = anchors.to(logits.dtype)
            self.last_accuracy = (hit.to(w.dtype) * w).sum() / w.sum().clamp_min(1.0)
        a2v = _info_nce(logits, allowed, anchors)
        v2a = _info_nce(logits.t(), allowed.t(), anchors)
        return 0.5 * (a2v + v2a)
