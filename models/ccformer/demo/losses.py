"""AVSS loss of the demo recipe: the project's `ccformer.losses.Criterion` plus a multi-class soft Dice term.

Why: in the synthetic scenes ~90% of the pixels are background, and with per-pixel cross-entropy alone
ccformer_tiny (from scratch, on CPU) sat at "everything is background" for the first epochs. A Dice term over the
classes present in each frame weighs a small sounding object like the background, the usual remedy for class
imbalance in semantic segmentation. `Criterion` uses `loss.w_dice` only for the binary tasks; `DemoCriterion`
also applies it to AVSS (final output and, times w_aux, every auxiliary output) and reports `loss_dice`.
"""

from __future__ import annotations

import torch

from ccformer.losses import DICE_EPS, Criterion


def multiclass_dice(logits: torch.Tensor, target: torch.Tensor, ignore_index: int = 255) -> torch.Tensor:
    """1 - mean soft Dice over (frame, class) pairs where the class occurs in the frame's GT.

    logits [F,C,H,W], target [F,H,W] class indices (ignore_index pixels left out). Squared denominators, eps 1e-3
    (the binary dice of ccformer.losses). Softmax probabilities are formed only for the classes that occur in
    `target` (exp(logit - logsumexp)), which keeps the term cheap with 71 classes at full resolution."""
    keep = target != ignore_index
    classes = torch.unique(target[keep])
    if classes.numel() == 0:
        return logits.sum() * 0.0
    x = logits.float()
    prob = torch.exp(x[:, classes] - torch.logsumexp(x, dim=1, keepdim=True)) * keep.unsqueeze(1)  # [F,K,H,W]
    onehot = (target.unsqueeze(1) == classes.view(1, -1, 1, 1)).float()  # ignore_index never matches
    num = 2 * (prob * onehot).flatten(2).sum(-1)
    den = (prob * prob).flatten(2).sum(-1) + onehot.flatten(2).sum(-1) + 2 * DICE_EPS
    present = onehot.flatten(2).sum(-1) > 0  # [F,K]
    return 1 - (num / den)[present].mean()


class DemoCriterion(Criterion):
    """`Criterion` whose AVSS mask terms are cross-entropy + `w_dice` x `multiclass_dice`."""

    def mask_terms(self, logits: torch.Tensor, masks: torch.Tensor, gt_valid: torch.Tensor) -> dict[str, torch.Tensor]:
        terms = super().mask_terms(logits, masks, gt_valid)
        if self.binary or self.w_dice <= 0:
            return terms
        sel = gt_valid.bool()
        x, y = logits[sel], masks[sel]
        terms["dice"] = multiclass_dice(x, y, self.ignore_index) if x.shape[0] else logits.sum() * 0.0
        return terms

    def _weighted(self, terms: dict[str, torch.Tensor]) -> torch.Tensor:
        total = super()._weighted(terms)
        if not self.binary and "dice" in terms:
            total = total + self.w_dice * terms["dice"]
        return total
