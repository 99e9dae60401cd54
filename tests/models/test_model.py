"""CCFormer model: shapes over the whole registry, gradients, NaN-freedom, ablation switches, checkpoints."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from ccformer.model import CCFormerConfig, build_model, list_variants, model_from_checkpoint

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "ccformer" / "model"


@pytest.fixture(autouse=True)
def _one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _inputs(b: int, t: int, size: int, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(b, t, 3, size, size, generator=gen), torch.randn(b, t, 1, 96, 64, generator=gen)


def _tiny(**overrides):
    torch.manual_seed(0)
    return build_model("ccformer_tiny", **{"task": "s4", **overrides})


def test_registry_lists_the_paper_and_tiny_variants():
    assert {"ccformer_tiny", "ccformer_r50", "ccformer_pvt_b5"} <= set(list_variants())


@pytest.mark.parametrize("variant", list_variants())
def test_output_shapes_for_every_variant(variant):
    task = "avss" if variant != "ccformer_tiny" else "s4"
    size, t = (224, 2) if variant == "ccformer_tiny" else (64, 2)
    model = build_model(variant, task=task).eval()
    c = 71 if task == "avss" else 1
    frames, audio = _inputs(1, t, size)
    with torch.no_grad():
        out = model(frames, audio)
    assert out["logits"].shape == (1, t, c, size, size)
    assert len(out["aux_logits"]) == model.config.dec_layers - 1
    assert all(a.shape == (1, t, c, size // 4, size // 4) for a in out["aux_logits"])  # stride 4, see losses
    assert out["audio_embed"].shape == out["visual_embed"].shape == (1, t, model.config.bcl_dim)
    assert torch.isfinite(out["logits"]).all()


@pytest.mark.parametrize("task", ["s4", "avss"])
def test_every_trainable_parameter_gets_a_gradient(task):
    from ccformer.model import BiModalContrastiveLoss

    model = _tiny(task=task).train()
    frames, audio = _inputs(2, 2, 64)
    out = model(frames, audio)
    loss = out["logits"].square().mean() + sum(a.square().mean() for a in out["aux_logits"])
    loss = loss + BiModalContrastiveLoss()(out["audio_embed"], out["visual_embed"])
    loss.backward()
    missing = [n for n, p in model.named_parameters() if p.requires_grad and (p.grad is None or not p.grad.any())]
    assert not missing, f"no gradient for {missing}"
    bad = [n for n, p in model.named_parameters() if p.grad is not None and not torch.isfinite(p.grad).all()]
    assert not bad


def test_no_nan_on_silence_and_flat_frames():
    model = _tiny(task="avss").eval()
    frames = torch.zeros(1, 3, 3, 96, 96)
    audio = torch.zeros(1, 3, 1, 96, 64)  # AVSS pads missing seconds with zero log-mel
    with torch.no_grad():
        out = model(frames, audio)
    assert all(torch.isfinite(v).all() for k, v in out.items() if k != "aux_logits")


def test_predict_equals_forward_logits():
    model = _tiny().eval()
    frames, audio = _inputs(1, 3, 96)
    with torch.no_grad():
        torch.testing.assert_close(model.predict(frames, audio), model(frames, audio)["logits"])


def test_clips_in_a_batch_do_not_see_each_other():
    """Video-level queries pool over one clip's frames only."""
    model = _tiny().eval()
    frames, audio = _inputs(2, 3, 64)
    with torch.no_grad():
        both = model.predict(frames, audio)
        alone = model.predict(frames[1:], audio[1:])
    torch.testing.assert_close(both[1:], alone, atol=1e-5, rtol=1e-4)


def _differs_with_shared_weights(full, ablated, prefix: str) -> None:
    """Load the full model's weights into the ablated one: only `prefix` weights are left over, and the output
    changes (so the switched-off module did something)."""
    missing, unexpected = ablated.load_state_dict(full.state_dict(), strict=False)
    assert not missing
    assert unexpected and all(k.startswith(prefix) for k in unexpected)
    frames, audio = _inputs(1, 2, 64)
    with torch.no_grad():
        assert not torch.allclose(full.eval().predict(frames, audio), ablated.eval().predict(frames, audio))


def test_eim_switch_removes_early_fusion():
    off = _tiny(eim=False)
    assert off.fusion is None and not any(n.startswith("fusion.") for n, _ in off.named_parameters())
    _differs_with_shared_weights(_tiny(), off, "fusion.")


def test_video_queries_switch_removes_video_level():
    off = _tiny(video_queries=False)
    assert off.decoder.video is None
    assert not any(n.startswith("decoder.video.") for n, _ in off.named_parameters())
    _differs_with_shared_weights(_tiny(), off, "decoder.video.")


@pytest.mark.parametrize("mode", ["off", False, "video"])
def test_bcl_switch(mode):
    model = _tiny(bcl=mode).eval()
    frames, audio = _inputs(1, 2, 64)
    with torch.no_grad():
        out = model(frames, audio)
    has_heads = any(n.startswith("bcl_") for n, _ in model.named_parameters())
    if mode == "video":
        assert has_heads and out["audio_embed"].shape == (1, 2, model.config.bcl_dim)
    else:
        assert not has_heads and "audio_embed" not in out and "visual_embed" not in out


def test_audio_tagging_head_is_training_only():
    model = _tiny(task="avss", audio_tagging=True).eval()
    frames, audio = _inputs(1, 2, 64)
    with torch.no_grad():
        out = model(frames, audio)
        plain = model.predict(frames, audio)
    assert out["audio_class_logits"].shape == (1, 2, 71) and torch.equal(plain, out["logits"])
    assert "audio_class_logits" not in _tiny(task="avss").eval()(frames, audio)
    with pytest.raises(ValueError, match="AVSS only"):
        _tiny(task="s4", audio_tagging=True)


def test_config_rejects_unknown_keys_and_bad_values():
    with pytest.raises(ValueError, match="unknown"):
        build_model("ccformer_tiny", task="s4", not_a_field=1)
    with pytest.raises(ValueError, match="variant"):
        build_model("no_such_variant")
    with pytest.raises(ValueError):
        CCFormerConfig(task="s5")
    assert CCFormerConfig(task="avss").num_classes == 71 and CCFormerConfig(task="avss").frames_per_clip == 10
    cfg = CCFormerConfig(task="s4").replace(task="avss")
    assert (cfg.num_classes, cfg.frames_per_clip) == (71, 10)


def test_checkpoint_rebuilds_the_same_model(tmp_path):
    model = _tiny(task="avss", input_size=96, video_queries=False).eval()
    path = tmp_path / "ckpt.pt"
    torch.save({"model": model.state_dict(), "model_config": model.config.to_dict(), "epoch": 3}, path)
    loaded, ckpt = model_from_checkpoint(path)
    assert loaded.config == model.config and ckpt["epoch"] == 3
    frames, audio = _inputs(1, 2, 96)
    with torch.no_grad():
        torch.testing.assert_close(loaded.predict(frames, audio), model.predict(frames, audio))


def test_no_hard_coded_devices_in_model_code():
    for path in MODEL_DIR.glob("*.py"):
        text = path.read_text()
        assert ".cuda(" not in text and "device=\"cuda\"" not in text, path.name


def test_checkpoint_config_from_a_training_config_section():
    from ccformer.model.registry import config_from_checkpoint

    ckpt = {"config": {"model": {"variant": "ccformer_tiny", "eim": False}, "data": {"task": "ms3", "size": 160}}}
    cfg = config_from_checkpoint(ckpt)
    assert (cfg.variant, cfg.backbone, cfg.task, cfg.input_size, cfg.eim) == (
        "ccformer_tiny", "pvt_v2_b0", "ms3", 160, False)
    with pytest.raises(ValueError, match="no model config"):
        config_from_checkpoint({"model": {}})


def test_exact_sigmoid_is_relatively_exact_and_has_finite_gradients():
    from ccformer.model.heads import exact_sigmoid

    x = torch.linspace(-100, 100, 20001, dtype=torch.float64, requires_grad=True)
    y = exact_sigmoid(x)
    ref = torch.sigmoid(x.detach())
    assert float(((y.detach() - ref).abs() / ref).max()) < 1e-12
    y.sum().backward()
    e = torch.exp(-x.detach().abs())
    assert torch.isfinite(x.grad).all() and torch.allclose(x.grad, e / (1 + e) ** 2, rtol=1e-9, atol=0)
