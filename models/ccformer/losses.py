"""CCFormer training losses, owned by one criterion (DETR habit: the model returns outputs, the criterion weighs).

From ../shared/reference/ccformer-design.md: S4/MS3 use Dice (squared denominators, eps 1e-3) + BCE on the
final mask and every intermediate (auxiliary) mask, on annotated frames only (S4 train: frame 1); AVSS uses
per-pixel cross-entropy over 71 classes on annotated frames, also on the intermediate outputs; both add
`w_bcl` x the bi-modal contrastive loss (BCL, the abstract's "Bi-modal Contrastive Learning").

One addition of ours, off by default (`w_avss_dice`, the paper uses cross-entropy only): a multi-class soft Dice
term for AVSS. Why: when ~90% of the pixels are background (the synthetic scenes of `ccformer synth`), a small
model trained from scratch with cross-entropy alone sits at "everything is background" for epochs; Dice over
the classes present in each frame weighs a small sounding object like the background.

A second one, also off by default (`w_audio_tag`, AVSS, needs `model.audio_tagging`): multi-label BCE of the
audio embedding's class logits against the classes that sound in the frame (the non-background classes of its
ground truth). Why: a linear probe of the demo model's audio embedding recovered the sounding classes of only 79%
of the seconds' sounding objects, and the missed ones were exactly its missed masks; the segmentation loss
reaches the audio branch only through the fusion, this term teaches it to recognise classes directly.
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


def multiclass_dice(log_probs: torch.Tensor, target: torch.Tensor, ignore_index: int = 255) -> torch.Tensor:
    """1 - mean soft Dice over (frame, class) pairs where the class occurs in the frame's GT.

    log_probs [F,C,H,W] (log-softmax over C), target [F,H,W] class indices (ignore_index pixels left out).
    Squared denominators and eps as `dice_loss`. Only the classes that occur in `target` are exponentiated, which
    keeps the term cheap with 71 classes at full resolution."""
    keep = target != ignore_index
    classes = torch.unique(target[keep])
    if classes.numel() == 0:
        return log_probs.sum() * 0.0
    prob = torch.exp(log_probs[:, classes]) * keep.unsqueeze(1)  # [F,K,H,W]
    onehot = (target.unsqueeze(1) == classes.view(1, -1, 1, 1)).float()  # ignore_index never matches
    num = 2 * (prob * onehot).flatten(2).sum(-1)
    den = (prob * prob).flatten(2).sum(-1) + onehot.flatten(2).sum(-1) + 2 * DICE_EPS
    present = onehot.flatten(2).sum(-1) > 0  # [F,K]
    return 1 - (num / den)[present].mean()


def sounding_classes(masks: torch.Tensor, num_classes: int) -> torch.Tensor:
    """[F,H,W] class-index masks -> [F,C] multi-hot of the non-background classes present. Values outside
    [0, C) (the ignore label 255) count as background."""
    flat = masks.flatten(1).long()
    flat = torch.where((flat < 0) | (flat >= num_classes), torch.zeros_like(flat), flat)
    onehot = torch.zeros(masks.shape[0], num_classes, device=masks.device).scatter_(1, flat, 1.0)
    onehot[:, 0] = 0
    return onehot


def annotated_frames(x: torch.Tensor, gt_valid: torch.Tensor) -> torch.Tensor:
    """[B,T,...] -> [F,...], the frames whose `gt_valid` is set. Why the all-true shortcut: boolean indexing
    copies the 71-class full-resolution logits (and scatters their gradient back), which measured ~40% of an
    AVSS training step on CPU; when every frame is annotated a view does the same."""
    if bool(gt_valid.all()):
        return x.flatten(0, 1)
    return x[gt_valid.bool()]


def _fit(logits: torch.Tensor, masks: torch.Tensor, full_res: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Bring [F,C,h,w] logits and [F,H,W] masks to one size: bilinearly upsample the logits to the masks (the
    paper's loss), or, with `full_res` False and smaller logits, take the mask pixel nearest to each logit's centre
    ("nearest-exact"; class indices and the ignore label stay exact)."""
    size = tuple(masks.shape[-2:])
    if tuple(logits.shape[-2:]) == size:
        return logits, masks
    if full_res or logits.shape[-2] > size[0] or logits.shape[-1] > size[1]:
        return F.interpolate(logits.float(), size=size, mode="bilinear", align_corners=False), masks
    small = F.interpolate(masks[:, None].float(), size=logits.shape[-2:], mode="nearest-exact")[:, 0]
    return logits, small.to(masks.dtype)


class Criterion(nn.Module):
    """Weighted CCFormer loss for one task; `forward` returns named terms plus their weighted sum `loss`.

    Args:
        task: "s4" | "ms3" (binary) or "avss" (71-class).
        w_dice, w_bce: binary mask terms; w_ce: AVSS cross-entropy; w_avss_dice: AVSS multi-class Dice (0 = the
            paper's loss); w_audio_tag: AVSS audio class tagging (needs the model's audio_class_logits); w_aux:
            weight of every auxiliary output relative to the final one; w_bcl: BCL weight (0 disables it; >0
            requires the model's embeddings).
        aux_full_res: compare auxiliary outputs with the masks at the masks' resolution (the paper's loss) or, when
            False, at the outputs' own stride-4 resolution with downsampled masks. Why the option: upsampling a
            71-class output to full size, its log-softmax and their backward took ~30% of an AVSS training step
            on CPU, for an auxiliary term that only needs to steer the earlier decoder layers.
        bcl_mode, tau: forwarded to `ccformer.model.bcl.BiModalContrastiveLoss`.
        ignore_index: AVSS label value left out of the cross-entropy.
    """

    def __init__(self, task: str, *, w_dice: float = 1.0, w_bce: float = 1.0, w_ce: float = 1.0,
                 w_avss_dice: float = 0.0, w_audio_tag: float = 0.0, w_aux: float = 1.0, w_bcl: float = 0.1, bcl_mode: str = "frame",
                 tau: float = 0.07, ignore_index: int = 255, aux_full_res: bool = True) -> None:
        super().__init__()
        if task not in ("s4", "ms3", "avss"):
            raise ValueError(f"unknown task {task!r}")
        self.task, self.binary = task, task != "avss"
        self.w_dice, self.w_bce, self.w_ce, self.w_aux, self.w_bcl = w_dice, w_bce, w_ce, w_aux, w_bcl
        self.w_avss_dice, self.w_audio_tag = w_avss_dice, w_audio_tag
        self.ignore_index = ignore_index
        self.aux_full_res = aux_full_res
        self.bcl: nn.Module | None = None
        if w_bcl > 0:
            from ccformer.model.bcl import BiModalContrastiveLoss

            self.bcl = BiModalContrastiveLoss(tau=tau, mode=bcl_mode)

    def mask_terms(self, logits: torch.Tensor, masks: torch.Tensor, gt_valid: torch.Tensor,
                   full_res: bool = True) -> dict[str, torch.Tensor]:
        """Unweighted mask losses of one output `logits` [B,T,C,h,w] against `masks` [B,T,H,W] on gt_valid frames
        (sizes reconciled by `_fit`)."""
        x = annotated_frames(logits, gt_valid)  # [F,C,h,w]
        y = annotated_frames(masks, gt_valid)
        if x.shape[0] == 0:
            zero = logits.sum() * 0.0
            return {"dice": zero, "bce": zero} if self.binary else self._avss_terms(zero, zero)
        x, y = _fit(x, y, full_res)
        if self.binary:
            return {"dice": dice_loss(x[:, 0], y), "bce": bce_loss(x[:, 0], y)}
        log_probs = F.log_softmax(x.float(), dim=1)  # shared by both terms: one pass over the 71 channels
        y = y.long()
        ce = F.nll_loss(log_probs, y, ignore_index=self.ignore_index)
        dice = multiclass_dice(log_probs, y, self.ignore_index) if self.w_avss_dice > 0 else None
        return self._avss_terms(ce, dice)

    def _avss_terms(self, ce: torch.Tensor, dice: torch.Tensor | None) -> dict[str, torch.Tensor]:
        return {"ce": ce} if dice is None or self.w_avss_dice <= 0 else {"ce": ce, "dice": dice}

    def _weighted(self, terms: dict[str, torch.Tensor]) -> torch.Tensor:
        if self.binary:
            return self.w_dice * terms["dice"] + self.w_bce * terms["bce"]
        total = self.w_ce * terms["ce"]
        return total + self.w_avss_dice * terms["dice"] if "dice" in terms else total

    def audio_tag_term(self, outputs: dict[str, torch.Tensor | list[torch.Tensor]], masks: torch.Tensor,
                       gt_valid: torch.Tensor) -> torch.Tensor:
        """Multi-label BCE of `audio_class_logits` [B,T,C] against the sounding classes of annotated frames,
        summed over classes and averaged over frames (a per-class mean would drown the one or two sounding
        classes among 71)."""
        if "audio_class_logits" not in outputs:
            raise ValueError(f"loss.w_audio_tag={self.w_audio_tag} but the model has no audio tagging head: "
                             "set model.audio_tagging=true or loss.w_audio_tag=0")
        logits = annotated_frames(outputs["audio_class_logits"], gt_valid).float()  # type: ignore[arg-type]
        if logits.shape[0] == 0:
            return logits.sum() * 0.0
        target = sounding_classes(annotated_frames(masks, gt_valid), logits.shape[-1])
        return F.binary_cross_entropy_with_logits(logits, target, reduction="none").sum(-1).mean()

    def forward(self, outputs: dict[str, torch.Tensor | list[torch.Tensor]],
                batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Named losses: loss_dice + loss_bce (binary) or loss_ce (AVSS) on the final output, loss_aux (sum over
        auxiliary outputs, weighted), loss_bcl (weighted) and the total `loss`; with BCL also the detached
        diagnostics bcl_raw (unweighted loss) and bcl_retrieval_acc (not part of `loss`)."""
        masks, gt_valid = batch["masks"], batch["gt_valid"]
        final = self.mask_terms(outputs["logits"], masks, gt_valid)  # type: ignore[arg-type]
        out = {f"loss_{k}": v for k, v in final.items()}
        total = self._weighted(final)
        aux = [self._weighted(self.mask_terms(a, masks, gt_valid, self.aux_full_res))  # type: ignore[arg-type]
               for a in outputs.get("aux_logits", [])]
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
            out["bcl_raw"] = bcl.detach()  # unweighted: what the collapse warning reads
            if self.bcl.last_accuracy is not None:
                out["bcl_retrieval_acc"] = self.bcl.last_accuracy
            total = total + out["loss_bcl"]
        if self.w_audio_tag > 0 and not self.binary:
            out["loss_audio_tag"] = self.w_audio_tag * self.audio_tag_term(outputs, masks, gt_valid)
            total = total + out["loss_audio_tag"]
        out["loss"] = total
        return out


def check_finite(losses: dict[str, torch.Tensor], step: int) -> None:
    """Raise NonFiniteLossError naming the offending terms when the total loss is NaN/inf."""
    value = float(losses["loss"].detach())
    if not math.isfinite(value):
        bad = {k: float(v.detach()) for k, v in losses.items()}
        raise NonFiniteLossError(f"non-finite loss at step {step}: {bad}; stopping")
