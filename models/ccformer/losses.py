"""CCFormer training losses, owned by one criterion (DETR habit: the model returns outputs, the criterion weighs).

From ../shared/reference/ccformer-design.md: S4/MS3 use Dice (squared denominators, eps 1e-3) + BCE on the
final mask and every intermediate (auxiliary) mask, on annotated frames only (S4 train: frame 1); AVSS uses
per-pixel cross-entropy over 71 classes on annotated frames, also on the intermediate outputs; both add
`w_bcl` x the bi-modal contrastive loss (BCL, the abstract's "Bi-modal Contrastive Learning").
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

DICE_EPS = 1e-3


class NonFiniteLossError(RuntimeError):
    """Training produced NaN/inf; raised so a run stops instead of silently corrupting its weights."""


def dice_loss(logits: torch.Tensor, target: torch.Tensor, eps: float = DICE_EPS) -> torch.Tensor:
    """Mean over frames of 1 - 2·Σpg / (Σp² + eps + Σg² + eps), p = sigmoid(logits); inputs [F,H,W]."""
    p = torch.sigmoid(logits.float()).flatten(1)
    g = target.float().flatten(1)
    num = 2 * (p * g).sum(1)
    den = (p * p).sum(1) + eps + (g * g).sum(1) + eps
    return (1 - num / den).mean()


def bce_loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Pixel-mean binary cross-entropy with logits; inputs [F,H,W]."""
    return F.binary_cross_entropy_with_logits(logits.float(), target.float())


def _fit(logits: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """Bilinearly resize [F,C,h,w] logits to the mask size when the model predicts at another resolution."""
    if tuple(logits.shape[-2:]) == size:
        return logits
    return F.interpolate(logits.float(), size=size, mode="bilinear", align_corners=False)


class Criterion(nn.Module):
    """Weighted CCFormer loss for one task; `forward` returns named terms plus their weighted sum `loss`.

    Args:
        task: "s4" | "ms3" (binary) or "avss" (71-class).
        w_dice, w_bce: binary mask terms; w_ce: AVSS cross-entropy; w_aux: weight of every auxiliary output
            relative to the final one; w_bcl: BCL weight (0 disables it; >0 requires the model's embeddings).
        bcl_mode, tau: forwarded to `ccformer.model.bcl.BiModalContrastiveLoss`.
        ignore_index: AVSS label value left out of the cross-entropy.
    """

    def __init__(self, task: str, *, w_dice: float = 1.0, w_bce: float = 1.0, w_ce: float = 1.0,
                 w_aux: float = 1.0, w_bcl: float = 0.1, bcl_mode: str = "frame", tau: float = 0.07,
                 ignore_index: int = 255) -> None:
        super().__init__()
        if task not in ("s4", "ms3", "avss"):
            raise ValueError(f"unknown task {task!r}")
        self.task, self.binary = task, task != "avss"
        self.w_dice, self.w_bce, self.w_ce, self.w_aux, self.w_bcl = w_dice, w_bce, w_ce, w_aux, w_bcl
        self.ignore_index = ignore_index
        self.bcl: nn.Module | None = None
        if w_bcl > 0:
            from ccformer.model.bcl import BiModalContrastiveLoss

            self.bcl = BiModalContrastiveLoss(tau=tau, mode=bcl_mode)

    def mask_terms(self, logits: torch.Tensor, masks: torch.Tensor, gt_valid: torch.Tensor) -> dict[str, torch.Tensor]:
        """Unweighted mask losses of one output `logits` [B,T,C,H,W] against `masks` [B,T,H,W] on gt_valid frames."""
        sel = gt_valid.bool()
        x = logits[sel]  # [F,C,h,w]
        y = masks[sel]
        if x.shape[0] == 0:
            zero = logits.sum() * 0.0
            return {"dice": zero, "bce": zero} if self.binary else {"ce": zero}
        x = _fit(x, tuple(y.shape[-2:]))
        if self.binary:
            return {"dice": dice_loss(x[:, 0], y), "bce": bce_loss(x[:, 0], y)}
        return {"ce": F.cross_entropy(x.float(), y.long(), ignore_index=self.ignore_index)}

    def _weighted(self, terms: dict[str, torch.Tensor]) -> torch.Tensor:
        if self.binary:
            return self.w_dice * terms["dice"] + self.w_bce * terms["bce"]
        return self.w_ce * terms["ce"]

    def forward(self, outputs: dict[str, torch.Tensor | list[torch.Tensor]],
                batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Named losses: loss_dice + loss_bce (binary) or loss_ce (AVSS) on the final output, loss_aux (sum over
        auxiliary outputs, weighted), loss_bcl (weighted) and the total `loss`."""
        masks, gt_valid = batch["masks"], batch["gt_valid"]
        final = self.mask_terms(outputs["logits"], masks, gt_valid)  # type: ignore[arg-type]
        out = {f"loss_{k}": v for k, v in final.items()}
        total = self._weighted(final)
        aux = [self._weighted(self.mask_terms(a, masks, gt_valid)) for a in outputs.get("aux_logits", [])]
        if aux:
            out["loss_aux"] = self.w_aux * torch.stack(aux).sum()
            total = total + out["loss_aux"]
        if self.bcl is not None:
            if "audio_embed" not in outputs or "visual_embed" not in outputs:
                raise ValueError(f"loss.w_bcl={self.w_bcl} but the model returns no BCL embeddings "
                                 "(BCL is off in the model): set loss.w_bcl=0")
            bcl = self.bcl(outputs["audio_embed"].float(), outputs["visual_embed"].float(),  # type: ignore[union-attr]
                           batch["valid"].bool())
            out["loss_bcl"] = self.w_bcl * bcl
            total = total + out["loss_bcl"]
        out["loss"] = total
        return out


def check_finite(losses: dict[str, torch.Tensor], step: int) -> None:
    """Raise NonFiniteLossError naming the offending terms when the total loss is NaN/inf."""
    value = float(losses["loss"].detach())
    if not math.isfinite(value):
        bad = {k: float(v.detach()) for k, v in losses.items()}
        raise NonFiniteLossError(f"non-finite loss at step {step}: {bad}; stopping")
