"""Mask head: query states + mask features -> per-pixel logits at the input size.

ccformer-design.md "MTM": "Mask head: query-mask dot product (einsum) -> refine -> upsample to input size; binary
logit per pixel for S4/MS3, 71 class logits for AVSS". It completes the abstract's MTM (the queries' masks are
what the multi-query transformer is for); the "refine" step is left out in this default (documented choice).

Query masks: m_q = einsum(MLP(LN(q)), mask_features) -> [N,Q,h,w] at stride 4. Combining the Q queries:
- binary (C = 1): a learned score per query, softmax over queries -> convex weights w_q;
  logit = sum_q w_q m_q. Thresholding sigmoid(logit) at 0.5 is the sounding mask.
- multi-class (C = 71): Mask2Former semantic inference p_c = sum_q softmax(cls_q)_c * sigmoid(m_q) (in [0, Q]),
  returned as logits log(p_c + 1e-6), so that softmax over C gives the normalised class probabilities
  p_c / sum_c p_c and argmax over C equals Mask2Former's argmax. Per-pixel cross-entropy trains it directly.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ccformer.model.layers import MLP

SEMANTIC_EPS = 1e-6


def exact_sigmoid(x: Tensor) -> Tensor:
    """sigmoid(x) from exp(-|x|), exact in relative terms for every x. Why not `x.sigmoid()`: onnxruntime's CPU
    Sigmoid is a fast approximation with ~1e-7 *absolute* error, i.e. several-fold wrong for outputs below 1e-7;
    the AVSS logits are log(p + 1e-6) of sums of such values, so a trained model's exported logits for absent
    classes drifted by up to 0.07 from PyTorch's. Exp is accurate in both runtimes, and exp(-|x|) <= 1 cannot
    overflow (no inf, no NaN gradient)."""
    e = torch.exp(-x.abs())
    return torch.where(x >= 0, 1 / (1 + e), e / (1 + e))


class MaskHead(nn.Module):
    """queries [N,Q,d], mask_features [N,d,h,w], out_size (H, W) -> logits [N,C,H,W]; out_size None -> logits at
    the mask features' stride-4 size [N,C,h,w] (what the losses upsample, or compare with downsampled masks)."""

    def __init__(self, *, dim: int, num_classes: int) -> None:
        super().__init__()
        self.num_classes = num_classes
        self.norm = nn.LayerNorm(dim)
        self.mask_embed = MLP(dim, dim, dim, 3)
        # binary: one score per query; multi-class: per-query class logits
        self.classify = nn.Linear(dim, 1 if num_classes == 1 else num_classes)

    def query_masks(self, queries: Tensor, mask_features: Tensor) -> Tensor:
        """[N,Q,d], [N,d,h,w] -> per-query mask logits [N,Q,h,w]."""
        return torch.einsum("nqd,ndhw->nqhw", self.mask_embed(self.norm(queries)), mask_features)

    def forward(self, queries: Tensor, mask_features: Tensor, out_size: tuple[int, int] | None) -> Tensor:
        masks = self.query_masks(queries, mask_features)
        scores = self.classify(self.norm(queries))  # [N,Q,1] or [N,Q,C]
        if self.num_classes == 1:
            weights = scores[..., 0].softmax(dim=1)  # [N,Q]
            logits = torch.einsum("nq,nqhw->nhw", weights, masks)[:, None]
        else:
            semantic = torch.einsum("nqc,nqhw->nchw", scores.softmax(dim=-1), exact_sigmoid(masks))
            logits = torch.log(semantic + SEMANTIC_EPS)
        if out_size is None:
            return logits
        return F.interpolate(logits, size=out_size, mode="bilinear", align_corners=False)
