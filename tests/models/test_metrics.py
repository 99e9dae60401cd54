"""AVSBench metrics: equal to literal ports of the reference code, plus the edge cases the definitions imply."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from ccformer.cli import main
from ccformer.metrics import BinaryMeter, SemanticMeter, frame_fcurve, frame_iou


def ref_mask_iou(pred: torch.Tensor, target: torch.Tensor, eps: float = 1e-7) -> float:
    """AVSBench utility.mask_iou, verbatim logic."""
    n, num_pixels = pred.size(0), pred.size(-1) * pred.size(-2)
    no_obj = target.sum(2).sum(1) == 0
    pred = (torch.sigmoid(pred) > 0.5).int()
    inter = (pred * target).sum(2).sum(1)
    union = torch.max(pred, target).sum(2).sum(1)
    inter[no_obj] = ((1 - target) * (1 - pred)).sum(2).sum(1)[no_obj]
    union[no_obj] = num_pixels
    return float(torch.sum(inter / (union + eps)) / n)


def ref_fmeasure(pred: torch.Tensor, gt: torch.Tensor, num: int = 255) -> float:
    """AVSBench utility.Eval_Fmeasure, verbatim logic (255 threshold passes)."""
    pred = torch.sigmoid(pred)
    avg_f, img_num, score = 0.0, 0, torch.zeros(num)
    thr = torch.linspace(0, 1 - 1e-10, num)
    for i in range(pred.size(0)):
        if torch.mean(gt[i]) == 0.0:
            continue
        prec, rec = torch.zeros(num), torch.zeros(num)
        for k in range(num):
            y = (pred[i] >= thr[k]).float()
            tp = (y * gt[i]).sum()
            prec[k], rec[k] = tp / (y.sum() + 1e-20), tp / (gt[i].sum() + 1e-20)
        f = 1.3 * prec * rec / (0.3 * prec + rec)
        f[f != f] = 0
        avg_f, img_num = avg_f + f, img_num + 1
        score = avg_f / img_num
    return float(score.max())


def test_binary_meter_matches_reference_for_every_batch_size() -> None:
    torch.manual_seed(0)
    v, t, h = 6, 5, 12
    logits = torch.randn(v * t, h, h) * 3
    gt = (torch.rand(v * t, h, h) > 0.6).float()
    gt[3] = 0
    gt[10:15] = 0  # a whole video with empty GT
    for b in (1, 2, 4):
        meter = BinaryMeter(v, batch_size=b)
        perm = torch.randperm(v * t)  # order of arrival must not matter
        meter.update(logits[perm], gt[perm], perm // t)
        got = meter.compute()
        starts = range(0, v * t, b * t)
        miou = np.mean([ref_mask_iou(logits[s:s + b * t], gt[s:s + b * t].int()) for s in starts])
        f = np.mean([ref_fmeasure(logits[s:s + b * t], gt[s:s + b * t]) for s in starts])
        assert got["miou"] == pytest.approx(miou, abs=1e-6)
        assert got["fscore"] == pytest.approx(f, abs=1e-6)
        assert got["fscore_batch_size"] == b


def test_iou_edge_cases() -> None:
    h = 8
    empty, full = torch.zeros(1, h, h), torch.ones(1, h, h)
    neg, pos = torch.full((1, h, h), -5.0), torch.full((1, h, h), 5.0)
    assert float(frame_iou(neg, empty)) == pytest.approx(1.0)  # empty GT, empty prediction
    assert float(frame_iou(pos, empty)) == pytest.approx(0.0)  # empty GT, full prediction
    assert float(frame_iou(pos, full)) == pytest.approx(1.0)  # all ones
    assert float(frame_iou(neg, full)) == pytest.approx(0.0)  # empty prediction
    assert float(frame_iou(torch.zeros(1, h, h), full)) == 0.0  # sigmoid(0) = 0.5 is not > 0.5


def test_fscore_edge_cases() -> None:
    h = 8
    full, pos = torch.ones(1, h, h), torch.full((1, h, h), 5.0)
    assert float(frame_fcurve(pos, full).max()) == pytest.approx(1.0)
    # "Empty" prediction still scores at threshold 0 (every pixel has sigmoid >= 0): prec = |G|/HW, rec = 1.
    gt = torch.zeros(1, h, h)
    gt[0, :2] = 1
    prec = 16 / 64
    assert float(frame_fcurve(torch.full((1, h, h), -20.0), gt).max()) == pytest.approx(1.3 * prec / (0.3 * prec + 1))


def test_fscore_depends_on_batch_size_and_counts_empty_batches() -> None:
    h, t = 8, 5
    gt = torch.zeros(2 * t, h, h)
    gt[:t, :4] = 1  # video 0 has objects, video 1 is silent/empty everywhere
    logits = torch.where(gt > 0, 5.0, -5.0)
    scores = {}
    for b in (1, 2):
        meter = BinaryMeter(2, batch_size=b)
        meter.update(logits, gt, torch.arange(2 * t) // t)
        scores[b] = meter.compute()
    assert scores[1]["fscore"] == pytest.approx(0.5)  # the empty-GT batch scores 0 and still counts
    assert scores[2]["fscore"] == pytest.approx(1.0)
    assert scores[1]["fscore_frame"] == scores[2]["fscore_frame"] == pytest.approx(1.0)
    assert scores[1]["miou"] == scores[2]["miou"] == pytest.approx(1.0)


def test_merged_meters_equal_one_meter() -> None:
    torch.manual_seed(1)
    logits, gt = torch.randn(20, 8, 8), (torch.rand(20, 8, 8) > 0.5).float()
    idx = torch.arange(20) // 5
    one, a, b = BinaryMeter(4, batch_size=2), BinaryMeter(4, batch_size=2), BinaryMeter(4, batch_size=2)
    one.update(logits, gt, idx)
    a.update(logits[::2], gt[::2], idx[::2])
    b.update(logits[1::2], gt[1::2], idx[1::2])
    a.merge(b)
    assert a.compute() == pytest.approx(one.compute())


def ref_avss(output: torch.Tensor, target: torch.Tensor, nclass: int = 71) -> tuple[torch.Tensor, ...]:
    """AVSBench-semantic utility._batch_miou_fscore, verbatim logic."""
    predict = (torch.argmax(output, 1) + 1).float()
    target = target.float() + 1
    predict = predict * (target > 0).float()
    inter = predict * (predict == target).float()
    count, ious, fs = torch.zeros(nclass), torch.zeros(nclass), torch.zeros(nclass)
    for i in range(target.shape[0]):
        ai = torch.histc(inter[i], bins=nclass, min=1, max=nclass)
        ap = torch.histc(predict[i], bins=nclass, min=1, max=nclass)
        al = torch.histc(target[i], bins=nclass, min=1, max=nclass)
        union = ap + al - ai
        ious += ai / (2.220446049250313e-16 + union)
        count[torch.nonzero(union).squeeze(-1)] += 1
        prec, rec = ai / ap, ai / al
        f = 1.3 * prec * rec / (0.3 * prec + rec)
        f[torch.isnan(f)] = 0.0
        fs += f
    return ious, fs, count


def test_semantic_meter_matches_reference() -> None:
    torch.manual_seed(0)
    out = torch.randn(12, 71, 10, 10)
    out[:, 5] += 2.5
    gt = torch.randint(0, 8, (12, 10, 10))
    gt[:3] = 0  # padded frames: all background
    ious, fs, count = ref_avss(out, gt)
    miou, f = torch.nan_to_num(ious / count).mean(), torch.nan_to_num(fs / count).mean()
    meter = SemanticMeter()
    meter.update(out[:5], gt[:5])
    meter.update(out[5:], gt[5:])
    got = meter.compute()
    assert got["miou"] == pytest.approx(float(miou), abs=1e-6)
    assert got["fscore"] == pytest.approx(float(f), abs=1e-6)


def test_semantic_unseen_classes_score_zero_and_no_bg_drops_background() -> None:
    gt = torch.zeros(2, 6, 6, dtype=torch.long)
    gt[:, :2, :2] = 3
    gt[1, 4:, 4:] = 70  # "woman", the class the reference's no-bg mean wrongly drops
    got = SemanticMeter()
    got.update(gt.clone(), gt)  # perfect prediction (class maps accepted)
    m = got.compute()
    assert m["miou"] == pytest.approx(3 / 71)  # 68 classes never seen count as 0
    assert m["miou_present"] == pytest.approx(1.0) and m["classes_present"] == 3
    assert m["miou_no_bg"] == pytest.approx(2 / 70)
    assert m["per_class_iou"][70] == pytest.approx(1.0) and m["per_class_iou"][1] == 0.0


def test_score_cli(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    h, t = 8, 5
    gt = np.zeros((2 * t, h, h), np.uint8)
    gt[:t, :4] = 1
    np.save(tmp_path / "gt.npy", gt)
    np.save(tmp_path / "pred.npy", np.where(gt > 0, 5.0, -5.0).astype(np.float32))
    results = {}
    for b in (1, 4):
        assert main(["score", "--task", "s4", "--pred", str(tmp_path / "pred.npy"), "--gt", str(tmp_path / "gt.npy"),
                     "--batch-size", str(b)]) == 0
        results[b] = json.loads(capsys.readouterr().out)
    assert results[1]["fscore"] == pytest.approx(0.5) and results[4]["fscore"] == pytest.approx(1.0)
    assert results[4]["miou"] == pytest.approx(1.0) and results[4]["fscore_batch_size"] == 4
    sem = np.zeros((10, h, h), np.int64)
    sem[:, :3, :3] = 7
    logits = np.eye(71, dtype=np.float32)[sem].transpose(0, 3, 1, 2)
    np.save(tmp_path / "sgt.npy", sem)
    np.save(tmp_path / "spred.npy", logits)
    assert main(["score", "--task", "avss", "--pred", str(tmp_path / "spred.npy"), "--gt", str(tmp_path / "sgt.npy")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["miou"] == pytest.approx(2 / 71) and out["miou_present"] == pytest.approx(1.0)
    assert main(["score", "--task", "s4", "--pred", str(tmp_path / "spred.npy"), "--gt", str(tmp_path / "gt.npy")]) == 2
    assert "does not fit" in capsys.readouterr().err
