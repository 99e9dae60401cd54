"""Losses on inputs whose values are computed by hand."""

from __future__ import annotations

import math

import pytest
import torch

from ccformer.losses import (
    Criterion,
    NonFiniteLossError,
    annotated_frames,
    bce_loss,
    check_finite,
    dice_loss,
    multiclass_dice,
)
from ccformer.model.bcl import BiModalContrastiveLoss


def test_dice_and_bce_by_hand() -> None:
    logits = torch.zeros(1, 2, 2)  # p = 0.5 everywhere
    target = torch.tensor([[[1.0, 0.0], [0.0, 0.0]]])
    # 1 - 2*0.5 / ((4*0.25 + 1e-3) + (1 + 1e-3))
    assert float(dice_loss(logits, target)) == pytest.approx(1 - 1 / 2.002)
    assert float(bce_loss(logits, target)) == pytest.approx(math.log(2))
    assert float(dice_loss(torch.full((1, 2, 2), 30.0), torch.ones(1, 2, 2))) == pytest.approx(1 - 8 / 8.002, abs=1e-6)


def _batch(t: int = 3, h: int = 2) -> dict[str, torch.Tensor]:
    masks = torch.zeros(1, t, h, h, dtype=torch.long)
    masks[0, 0, 0, 0] = 1
    gt_valid = torch.tensor([[True] + [False] * (t - 1)])
    return {"masks": masks, "gt_valid": gt_valid, "valid": torch.ones(1, t, dtype=torch.bool)}


def test_binary_criterion_masks_unlabelled_frames_and_weights_aux() -> None:
    batch = _batch()
    logits = torch.zeros(1, 3, 1, 2, 2)
    logits[0, 1:] = 1e4  # garbage on unlabelled frames must not matter
    crit = Criterion("s4", w_dice=2.0, w_bce=1.0, w_aux=0.5, w_bcl=0.0)
    out = crit({"logits": logits, "aux_logits": [logits.clone(), logits.clone()]}, batch)
    one = 2.0 * (1 - 1 / 2.002) + math.log(2)
    assert float(out["loss_dice"]) == pytest.approx(1 - 1 / 2.002)
    assert float(out["loss_aux"]) == pytest.approx(0.5 * 2 * one)
    assert float(out["loss"]) == pytest.approx(one + one)
    assert "loss_bcl" not in out


def test_avss_cross_entropy_and_ignore_index() -> None:
    batch = _batch()
    batch["masks"][0, 0, 1, 1] = 255  # ignored pixel
    crit = Criterion("avss", w_ce=1.0, w_bcl=0.0)
    out = crit({"logits": torch.zeros(1, 3, 71, 2, 2)}, batch)
    assert float(out["loss_ce"]) == pytest.approx(math.log(71)) and float(out["loss"]) == pytest.approx(math.log(71))


def test_multiclass_dice_by_hand() -> None:
    # two classes present (0 and 3), probabilities 0.5/0.5 between them on every pixel, 1 ignored pixel
    target = torch.tensor([[[0, 3], [3, 255]]])
    log_probs = torch.full((1, 71, 2, 2), -1e4)
    log_probs[:, 0] = log_probs[:, 3] = math.log(0.5)
    # class 0: p=0.5 on 3 kept pixels, 1 GT pixel -> 2*0.5 / (0.75 + 1 + 2e-3); class 3: 2*1 / (0.75 + 2 + 2e-3)
    want = 1 - (1 / 1.752 + 2 / 2.752) / 2
    assert float(multiclass_dice(log_probs, target)) == pytest.approx(want, rel=1e-5)
    perfect = torch.full((1, 71, 2, 2), -1e4)
    perfect[0, 0, 0, 0] = perfect[0, 3, 0, 1] = perfect[0, 3, 1, 0] = perfect[0, 3, 1, 1] = 0.0
    assert float(multiclass_dice(perfect, target)) == pytest.approx(0.0, abs=2e-3)
    assert float(multiclass_dice(log_probs, torch.full((1, 2, 2), 255))) == 0.0


def test_avss_dice_is_off_by_default_and_weighted_when_on() -> None:
    torch.manual_seed(0)
    batch = _batch(t=3, h=4)
    batch["gt_valid"][:] = True
    outputs = {"logits": torch.randn(1, 3, 71, 4, 4), "aux_logits": [torch.randn(1, 3, 71, 4, 4)]}
    plain = Criterion("avss", w_bcl=0.0)(outputs, batch)
    assert "loss_dice" not in plain
    with_dice = Criterion("avss", w_avss_dice=0.5, w_bcl=0.0)(outputs, batch)
    dice = multiclass_dice(torch.log_softmax(outputs["logits"].flatten(0, 1), 1), batch["masks"].flatten(0, 1))
    assert float(with_dice["loss_dice"]) == pytest.approx(float(dice))
    assert float(with_dice["loss_ce"]) == pytest.approx(float(plain["loss_ce"]))
    aux_dice = multiclass_dice(torch.log_softmax(outputs["aux_logits"][0].flatten(0, 1), 1),
                               batch["masks"].flatten(0, 1))
    want = float(plain["loss"]) + 0.5 * (float(dice) + float(aux_dice))
    assert float(with_dice["loss"]) == pytest.approx(want, rel=1e-5)


def test_annotated_frames_view_equals_boolean_selection() -> None:
    x = torch.randn(2, 3, 5)
    every = torch.ones(2, 3, dtype=torch.bool)
    assert torch.equal(annotated_frames(x, every), x[every])
    some = torch.tensor([[True, False, True], [False, False, True]])
    assert torch.equal(annotated_frames(x, some), x[some])
    assert annotated_frames(x, torch.zeros(2, 3, dtype=torch.bool)).shape[0] == 0


def test_bcl_term_is_weighted_and_required() -> None:
    torch.manual_seed(0)
    batch = {k: v.expand(2, *v.shape[1:]).clone() for k, v in _batch().items()}
    a, v = torch.randn(2, 3, 8), torch.randn(2, 3, 8)
    outputs = {"logits": torch.zeros(2, 3, 1, 2, 2), "audio_embed": a, "visual_embed": v}
    out = Criterion("ms3", w_bcl=0.25)(outputs, batch)
    want = 0.25 * BiModalContrastiveLoss(tau=0.07, mode="frame")(a, v, batch["valid"])
    assert float(out["loss_bcl"]) == pytest.approx(float(want))
    with pytest.raises(ValueError, match="w_bcl"):
        Criterion("ms3", w_bcl=0.25)({"logits": outputs["logits"]}, batch)


def test_non_finite_loss_stops() -> None:
    with pytest.raises(NonFiniteLossError, match="step 7"):
        check_finite({"loss": torch.tensor(float("nan")), "loss_bce": torch.tensor(1.0)}, 7)
    check_finite({"loss": torch.tensor(1.0)}, 0)


def test_audio_tag_term_targets_the_sounding_classes() -> None:
    from ccformer.losses import sounding_classes

    masks = torch.tensor([[[0, 3], [3, 255]], [[0, 0], [0, 0]], [[7, 0], [0, 70]]])
    tags = sounding_classes(masks, 71)
    assert tags.shape == (3, 71)
    assert tags[0].nonzero().flatten().tolist() == [3] and tags[1].sum() == 0
    assert tags[2].nonzero().flatten().tolist() == [7, 70]
    batch = {"masks": masks[None], "gt_valid": torch.tensor([[True, False, True]]),
             "valid": torch.ones(1, 3, dtype=torch.bool)}
    logits = torch.zeros(1, 3, 71)
    logits[0, 1] = 50.0  # an unannotated frame must not count
    out = Criterion("avss", w_bcl=0.0, w_audio_tag=2.0)(
        {"logits": torch.zeros(1, 3, 71, 2, 2), "audio_class_logits": logits}, batch)
    assert float(out["loss_audio_tag"]) == pytest.approx(2.0 * 71 * math.log(2))  # summed over classes
    with pytest.raises(ValueError, match="audio_tagging"):
        Criterion("avss", w_bcl=0.0, w_audio_tag=1.0)({"logits": torch.zeros(1, 3, 71, 2, 2)}, batch)


def test_aux_outputs_at_stride_four_are_upsampled_by_default() -> None:
    # the model returns auxiliary logits at the mask features' size; the paper's loss upsamples them bilinearly
    torch.manual_seed(0)
    batch = _batch(t=2, h=8)
    batch["gt_valid"][:] = True
    batch["masks"][0, :, 2:6, 2:6] = 5
    small = torch.randn(1, 2, 71, 2, 2)
    big = torch.nn.functional.interpolate(small.flatten(0, 1), size=(8, 8), mode="bilinear",
                                          align_corners=False).unflatten(0, (1, 2))
    final = torch.randn(1, 2, 71, 8, 8)
    crit = Criterion("avss", w_avss_dice=1.0, w_bcl=0.0)
    low = crit({"logits": final, "aux_logits": [small]}, batch)
    high = crit({"logits": final, "aux_logits": [big]}, batch)
    assert float(low["loss_aux"]) == pytest.approx(float(high["loss_aux"]), rel=1e-6)


def test_aux_at_own_resolution_scores_the_mask_pixel_at_each_logit_centre() -> None:
    # 8x8 masks, 2x2 auxiliary logits: each logit covers a 4x4 block whose centre pixel is (4j+2, 4i+2)
    batch = _batch(t=1, h=8)
    batch["gt_valid"][:] = True
    masks = batch["masks"]
    masks[0, 0] = 9  # every pixel class 9 ...
    masks[0, 0, 2, 2] = masks[0, 0, 2, 6] = masks[0, 0, 6, 2] = masks[0, 0, 6, 6] = 4  # ... but the centres
    aux = torch.full((1, 1, 71, 2, 2), -30.0)
    aux[:, :, 4] = 30.0  # certain of class 4 at every auxiliary pixel
    final = torch.zeros(1, 1, 71, 8, 8)
    own = Criterion("avss", w_bcl=0.0, aux_full_res=False)({"logits": final, "aux_logits": [aux]}, batch)
    assert float(own["loss_aux"]) == pytest.approx(0.0, abs=1e-6)
    full = Criterion("avss", w_bcl=0.0)({"logits": final, "aux_logits": [aux]}, batch)
    assert float(full["loss_aux"]) > 30  # at full resolution 60 of the 64 pixels are class 9
    assert float(own["loss_ce"]) == pytest.approx(float(full["loss_ce"]))  # the final output is unaffected
    batch["masks"][0, 0, 2, 2] = 255  # the ignore label survives the downsampling
    ignored = Criterion("avss", w_bcl=0.0, aux_full_res=False)({"logits": final, "aux_logits": [aux]}, batch)
    assert float(ignored["loss_aux"]) == pytest.approx(0.0, abs=1e-6)
