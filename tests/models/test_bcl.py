"""BiModalContrastiveLoss: alignment, video-aware negatives, padded seconds, clip-level mode."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from ccformer.model.bcl import BiModalContrastiveLoss


def _reference(a: torch.Tensor, v: torch.Tensor, tau: float, *, same_video_negatives: bool) -> torch.Tensor:
    """Straightforward loop version of frame-level symmetric InfoNCE (all frames valid)."""
    b, t, _ = a.shape
    a = F.normalize(a.reshape(b * t, -1), dim=-1)
    v = F.normalize(v.reshape(b * t, -1), dim=-1)
    vid = [i // t for i in range(b * t)]
    total = []
    for x, y in ((a, v), (v, a)):
        for i in range(b * t):
            cands = [j for j in range(b * t) if j == i or vid[j] != vid[i] or same_video_negatives]
            logits = torch.stack([x[i] @ y[j] / tau for j in cands])
            total.append(-torch.log_softmax(logits, 0)[cands.index(i)])
    return torch.stack(total).mean()


def test_aligned_pairs_give_lower_loss_than_shuffled():
    gen = torch.Generator().manual_seed(0)
    a = torch.randn(4, 3, 16, generator=gen)
    v = a + 0.1 * torch.randn(4, 3, 16, generator=gen)
    loss = BiModalContrastiveLoss()
    aligned = loss(a, v)
    shuffled = loss(a, v[torch.tensor([1, 2, 3, 0])])
    assert aligned < shuffled
    assert aligned < 0.1 < shuffled


def test_matches_reference_and_excludes_same_video_frames():
    gen = torch.Generator().manual_seed(1)
    a = torch.randn(2, 3, 8, generator=gen)
    v = torch.randn(2, 3, 8, generator=gen)
    v[0, 1] = 5 * a[0, 0]  # a same-video frame that would be a very strong negative if it were one
    got = BiModalContrastiveLoss(tau=0.07)(a, v)
    torch.testing.assert_close(got, _reference(a, v, 0.07, same_video_negatives=False))
    with_same_video = _reference(a, v, 0.07, same_video_negatives=True)
    assert (got - with_same_video).abs() > 0.1


def test_single_clip_has_no_negatives_and_gives_zero():
    """Within one clip every other frame is excluded, so nothing is left to contrast against."""
    gen = torch.Generator().manual_seed(2)
    a, v = torch.randn(1, 4, 8, generator=gen), torch.randn(1, 4, 8, generator=gen)
    loss = BiModalContrastiveLoss()
    assert loss(a, v).item() == 0.0
    v2 = v.clone()
    v2[0, 1] = a[0, 0] * 10
    assert loss(a, v2).item() == 0.0


def test_padded_seconds_are_ignored():
    gen = torch.Generator().manual_seed(3)
    a, v = torch.randn(3, 4, 8, generator=gen), torch.randn(3, 4, 8, generator=gen)
    valid = torch.ones(3, 4, dtype=torch.bool)
    valid[1, 2:] = False
    for mode in ("frame", "video"):
        loss = BiModalContrastiveLoss(mode=mode)
        base = loss(a, v, valid)
        a2, v2 = a.clone(), v.clone()
        a2[1, 2:] = 100 * torch.randn(2, 8, generator=gen)
        v2[1, 2:] = a[0, 0] * 7
        torch.testing.assert_close(loss(a2, v2, valid), base)
        assert torch.isfinite(base)


def test_video_mode_contrasts_pooled_clips():
    gen = torch.Generator().manual_seed(4)
    a, v = torch.randn(3, 5, 8, generator=gen), torch.randn(3, 5, 8, generator=gen)
    got = BiModalContrastiveLoss(mode="video")(a, v)
    assert got.shape == ()
    expected = _reference(a.mean(1, keepdim=True), v.mean(1, keepdim=True), 0.07, same_video_negatives=False)
    torch.testing.assert_close(got, expected)


def test_symmetric_and_differentiable():
    a = torch.randn(2, 2, 8, requires_grad=True)
    v = torch.randn(2, 2, 8, requires_grad=True)
    loss = BiModalContrastiveLoss()
    value = loss(a, v)
    torch.testing.assert_close(value, loss(v, a))
    value.backward()
    assert a.grad is not None and torch.isfinite(a.grad).all() and a.grad.any()


def test_rejects_unknown_mode():
    with pytest.raises(ValueError):
        BiModalContrastiveLoss(mode="clip")
