"""Issue 13's switches: audio over the clip's T tokens, temporal position of the video queries, the mask-pooled BCL
target, the lite head; the BCL collapse warning; mask-consistent augmentation. Each switch must change the graph
as intended, train two steps with gradients everywhere and export with dynamic T."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
import pytest
import torch

from ccformer.data.augment import augment_clip, flip_clip, scale_crop
from ccformer.export import export_onnx
from ccformer.losses import Criterion
from ccformer.model import build_model
from ccformer.model.bcl import BiModalContrastiveLoss, collapse_warning
from ccformer.model.eim import BilateralFusion

SWITCHES = {
    "audio_attention=clip": {"audio_attention": "clip"},
    "video_temporal_pos": {"video_temporal_pos": True},
    "bcl_target=mask_pooled": {"bcl_target": "mask_pooled"},
    "lite": {"enc_levels": 2, "enc_kv_pool": 1, "light_stride4": True},
}


@pytest.fixture(autouse=True)
def _one_thread():  # type: ignore[no-untyped-def]
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _tiny(**kw):  # type: ignore[no-untyped-def]
    torch.manual_seed(0)
    return build_model("ccformer_tiny", **{"task": "s4", "input_size": 64, **kw})


def _inputs(b: int, t: int, size: int = 64, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(b, t, 3, size, size, generator=gen), torch.randn(b, t, 1, 96, 64, generator=gen)


@pytest.mark.parametrize("name", list(SWITCHES))
def test_every_switch_trains_two_steps_with_gradients_everywhere(name: str) -> None:
    model = _tiny(**SWITCHES[name]).train()
    crit = Criterion("s4", w_bcl=0.1)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    frames, audio = _inputs(2, 2)
    batch = {"masks": (torch.rand(2, 2, 64, 64) > 0.7).long(), "gt_valid": torch.ones(2, 2, dtype=torch.bool),
             "valid": torch.ones(2, 2, dtype=torch.bool)}
    for _ in range(2):
        losses = crit(model(frames, audio), batch)
        opt.zero_grad()
        losses["loss"].backward()
        missing = [n for n, p in model.named_parameters() if p.grad is None or not p.grad.any()]
        assert not missing, f"{name}: no gradient for {missing[:5]}"
        assert all(torch.isfinite(p.grad).all() for p in model.parameters())
        assert torch.isfinite(losses["loss"])
        opt.step()


def test_clip_audio_attention_differs_per_pixel_and_reads_other_seconds() -> None:
    torch.manual_seed(0)
    visual = torch.randn(4, 32, 3, 3)  # 2 clips x 2 frames
    audio = torch.randn(4, 1, 32)
    clip, frame = BilateralFusion(dim=32, num_heads=4, audio_attention="clip"), BilateralFusion(dim=32, num_heads=4)
    tokens = visual.flatten(2).transpose(1, 2)
    assert frame.audio_to_visual(audio).shape == (4, 1, 32)  # one gate for every pixel: "which", not "where"
    v_clip, _ = clip(visual, audio, 2)
    other = audio.clone()
    other[1] += 1.0  # the second second of clip 0
    v_other, _ = clip(visual, other, 2)
    assert not torch.allclose(v_clip[0], v_other[0])  # frame 0 hears its clip's other second
    torch.testing.assert_close(v_clip[2:], v_other[2:])  # clip 1 does not hear clip 0
    # the audio -> vision term varies across the pixels of one frame
    from ccformer.model.layers import clip_audio_tokens, sine_position

    keys, kpos, own = clip_audio_tokens(audio[:, 0], 2)
    pos = sine_position(3, 3, 32, device=visual.device, dtype=visual.dtype)[None]
    gate = clip.audio_to_visual(tokens + pos + own, keys + kpos, keys)
    assert gate.shape == (4, 9, 32) and gate.std(dim=1).mean() > 1e-3


def test_video_temporal_position_breaks_frame_order_symmetry() -> None:
    frames, audio = _inputs(1, 3)
    rev = [2, 1, 0]
    for on in (False, True):
        model = _tiny(video_temporal_pos=on).eval()
        with torch.no_grad():
            out = model.predict(frames, audio)
            out_rev = model.predict(frames[:, rev], audio[:, rev])
        same = torch.allclose(out[:, rev], out_rev, atol=1e-5)
        assert same != on, "without temporal position the clip is a set of frames; with it, a sequence"


def test_mask_pooled_target_is_a_weighted_mean_of_visual_features() -> None:
    model = _tiny(bcl_target="mask_pooled").eval()
    frames, audio = _inputs(1, 2)
    with torch.no_grad():
        states, mask_features, _, p4 = model._trunk(frames, audio)
        const = torch.full_like(p4, 0.5)
        pooled = model._bcl_visual_input(states, mask_features, const)
        assert torch.allclose(pooled, torch.full_like(pooled, 0.5), atol=1e-5)  # a mean of 0.5 everywhere is 0.5
        queries = _tiny().eval()._bcl_visual_input(states, mask_features, const)
        assert not torch.allclose(queries, torch.full_like(queries, 0.5), atol=1e-2)


def test_lite_head_encodes_strides_16_32_only_and_costs_less() -> None:
    from ccformer.perf.measure import flops_per_part

    full, lite = _tiny(), _tiny(**SWITCHES["lite"])
    assert lite.encoder.level_embed.shape[0] == 2 and full.encoder.level_embed.shape[0] == 3
    assert lite.pixel_decoder.blocks[-1][0].groups == lite.config.d_model  # depthwise stride-4 conv
    frames, audio = _inputs(1, 2)
    f_full, f_lite = flops_per_part(full, frames[0], audio[0]), flops_per_part(lite, frames[0], audio[0])
    assert f_lite["frame encoder"] < f_full["frame encoder"] and f_lite["pixel decoder"] < f_full["pixel decoder"]
    assert f_lite["backbone"] == f_full["backbone"]


def test_every_switch_exports_with_dynamic_T_and_parity(tmp_path) -> None:  # type: ignore[no-untyped-def]
    overrides = {k: v for sw in SWITCHES.values() for k, v in sw.items()}
    model = _tiny(**overrides).eval()
    result = export_onnx(model, tmp_path / "all-switches.onnx", log=lambda _: None)
    assert set(result.max_abs_diff) == {5, 10} and max(result.max_abs_diff.values()) <= 1e-4
    parts = set(result.node_parts.values())
    assert {"backbone", "EIM", "frame encoder", "pixel decoder", "query decoder", "head"} <= parts
    session = ort.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    assert session.run(None, {"frames": np.zeros((7, 3, 64, 64), np.float32),
                              "audio": np.zeros((7, 1, 96, 64), np.float32)})[0].shape == (7, 1, 64, 64)


def test_collapse_warning_fires_on_a_shortcut_and_not_on_real_learning() -> None:
    torch.manual_seed(0)
    bcl = BiModalContrastiveLoss()
    audio = torch.randn(4, 3, 16)
    shortcut = [float(bcl(audio, audio * 2.0)) for _ in range(6)]  # visual = f(audio): solved without pixels
    assert bcl.last_accuracy is not None and float(bcl.last_accuracy) == 1.0
    honest = [float(bcl(audio, torch.randn(4, 3, 16))) for _ in range(6)]
    assert float(bcl.last_accuracy) < 1.0
    warning = collapse_warning(shortcut)
    assert warning is not None and "shortcut" in warning
    assert collapse_warning(honest) is None
    assert collapse_warning([]) is None


def test_criterion_logs_bcl_retrieval_accuracy() -> None:
    outputs = {"logits": torch.zeros(2, 2, 1, 8, 8), "audio_embed": torch.randn(2, 2, 8),
               "visual_embed": torch.randn(2, 2, 8)}
    batch = {"masks": torch.zeros(2, 2, 8, 8, dtype=torch.long), "gt_valid": torch.ones(2, 2, dtype=torch.bool),
             "valid": torch.ones(2, 2, dtype=torch.bool)}
    out = Criterion("s4", w_bcl=0.5)(outputs, batch)
    assert 0.0 <= float(out["bcl_retrieval_acc"]) <= 1.0
    torch.testing.assert_close(out["loss_bcl"], 0.5 * out["bcl_raw"])


def _marked_clip() -> dict[str, torch.Tensor]:
    """2 frames of 32x32 whose red channel is 3.0 exactly on a 8x12 box in the top-left, the mask's 1s."""
    frames = torch.zeros(2, 3, 32, 32)
    masks = torch.zeros(2, 32, 32, dtype=torch.long)
    frames[:, 0, 2:10, 3:15] = 3.0
    masks[:, 2:10, 3:15] = 1
    return {"frames": frames, "masks": masks, "valid": torch.ones(2, dtype=torch.bool)}


def test_flip_keeps_the_mask_on_its_object() -> None:
    clip = _marked_clip()
    frames, masks = flip_clip(clip["frames"], clip["masks"])
    assert masks[0, 5, 31 - 3] == 1 and masks[0, 5, 3] == 0  # the box moved to the right edge
    assert torch.equal(frames[:, 0] > 1.5, masks.bool())


def test_scale_crop_and_full_augmentation_keep_masks_aligned() -> None:
    clip = _marked_clip()
    frames, masks = scale_crop(clip["frames"], clip["masks"], 1.25, 0.5, 1.0)
    assert frames.shape == (2, 3, 32, 32) and masks.shape == (2, 32, 32)
    marked = frames[:, 0] > 1.5
    iou = (marked & masks.bool()).sum() / (marked | masks.bool()).sum()
    assert masks.sum() > clip["masks"].sum() and iou > 0.85  # enlarged, and still on the box
    gen = torch.Generator().manual_seed(3)
    for _ in range(5):
        out = augment_clip(clip, gen)
        inside = out["frames"][:, 0][out["masks"].bool()].mean()
        outside = out["frames"][:, 0][~out["masks"].bool()].mean()
        assert inside - outside > 1.5  # photometric noise never moves the box away from its mask
        assert set(out["masks"].unique().tolist()) <= {0, 1}


def test_ablation_table_calls_small_differences_noise() -> None:
    from ccformer.demo.study import render_table

    def rec(row: str, seed: int, miou: float) -> dict[str, object]:
        return {"row": row, "seed": seed, "none_miou": miou, "none_fscore": miou, "swap_miou": 0.1,
                "swap_fscore": 0.1, "silent_miou": 0.1, "silent_fscore": 0.1}

    table = render_table([rec("full (defaults)", 0, 0.50), rec("full (defaults)", 1, 0.54),
                          rec("EIM off", 0, 0.51), rec("EIM off", 1, 0.53),
                          rec("BCL off", 0, 0.30), rec("BCL off", 1, 0.31)])
    lines = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()[2:]}
    assert "52.0 ± 2.0" in lines["full (defaults)"]
    assert "+0.0 (noise)" in lines["EIM off"] and "-21.5 |" in lines["BCL off"]
