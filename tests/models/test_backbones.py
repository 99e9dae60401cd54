"""Backbones: features_only shapes for the whole registry, published key names, strict weight loading, ONNX."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import torch

from ccformer.backbones import build_backbone, list_backbones
from ccformer.backbones.pvt_v2 import pvt_v2_b0
from ccformer.backbones.resnet import resnet18
from ccformer.backbones.weights import WeightLoadError, load_pretrained, read_state_dict

torch.set_num_threads(1)

EXPECTED_CHANNELS = {
    "resnet18": (64, 128, 256, 512),
    "resnet50": (256, 512, 1024, 2048),
    "pvt_v2_b0": (32, 64, 160, 256),
    "pvt_v2_b1": (64, 128, 320, 512),
    "pvt_v2_b2": (64, 128, 320, 512),
    "pvt_v2_b5": (64, 128, 320, 512),
}
# Parameter counts of the published classifiers minus their heads (torchvision / official PVT-v2 model cards).
EXPECTED_PARAMS_M = {"resnet18": 11.18, "resnet50": 23.51, "pvt_v2_b0": 3.41, "pvt_v2_b1": 13.50,
                     "pvt_v2_b2": 24.85, "pvt_v2_b5": 81.44}


@pytest.mark.parametrize("name", list_backbones())
def test_features_only_shapes(name: str) -> None:
    model = build_backbone(name).eval()
    assert model.out_channels == EXPECTED_CHANNELS[name]
    assert model.strides == (4, 8, 16, 32)
    assert sum(p.numel() for p in model.parameters()) / 1e6 == pytest.approx(EXPECTED_PARAMS_M[name], abs=0.01)
    with torch.no_grad():
        feats = model(torch.randn(1, 3, 64, 64))
    assert [tuple(f.shape) for f in feats] == [(1, c, 64 // s, 64 // s)
                                              for c, s in zip(model.out_channels, model.strides, strict=True)]
    assert all(torch.isfinite(f).all() for f in feats)


def test_published_key_names() -> None:
    r = set(resnet18().state_dict())
    assert {"conv1.weight", "bn1.running_var", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.bias",
            "layer4.1.conv2.weight"} <= r
    assert not any(k.startswith("fc.") for k in r)
    p = set(pvt_v2_b0().state_dict())
    assert {"patch_embed1.proj.weight", "patch_embed4.norm.bias", "block1.0.norm1.weight",
            "block1.0.attn.q.weight", "block1.0.attn.kv.bias", "block1.0.attn.sr.weight", "block1.0.attn.norm.weight",
            "block3.1.attn.proj.weight", "block2.1.norm2.weight", "block1.1.mlp.fc1.weight",
            "block1.1.mlp.dwconv.dwconv.weight", "block4.1.mlp.fc2.bias", "norm1.weight", "norm4.bias"} <= p
    assert not any(k.startswith("block4.0.attn.sr") for k in p)  # sr ratio 1 in stage 4: no reduction conv
    assert pvt_v2_b0().state_dict()["block1.0.mlp.fc1.weight"].shape == (256, 32)  # MLP ratio 8 in stage 1


def _save(tmp_path: Path, sd: dict[str, torch.Tensor], name: str = "w.pth") -> Path:
    path = tmp_path / name
    torch.save(sd, path)
    return path


def test_roundtrip_strict_with_wrappers_and_head(tmp_path: Path) -> None:
    src = resnet18().eval()
    sd = {f"module.{k}": v for k, v in src.state_dict().items()}
    sd["module.fc.weight"] = torch.zeros(1000, 512)
    sd["module.fc.bias"] = torch.zeros(1000)
    path = _save(tmp_path, {"state_dict": sd, "epoch": 3})
    dst = build_backbone("resnet18", weights=str(path)).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert all(torch.equal(a, b) for a, b in zip(src(x), dst(x), strict=True))
    report = load_pretrained(resnet18(), path)
    assert report.ok and report.ignored == ["fc.bias", "fc.weight"] and report.missing == []


def test_pvt_head_ignored_and_bn_counters_optional(tmp_path: Path) -> None:
    sd = pvt_v2_b0().state_dict()
    sd["head.weight"], sd["head.bias"] = torch.zeros(1000, 256), torch.zeros(1000)
    report = load_pretrained(pvt_v2_b0(), _save(tmp_path, {"model": sd}))
    assert report.ok and report.ignored == ["head.bias", "head.weight"]
    old = {k: v for k, v in resnet18().state_dict().items() if not k.endswith("num_batches_tracked")}
    assert load_pretrained(resnet18(), _save(tmp_path, old, "old.pth")).ok  # older torchvision files


def test_timm_layout_pvt_loads(tmp_path: Path) -> None:
    """timm renames official PVT-v2 keys (its checkpoint filter); build_backbone maps them back."""
    src = pvt_v2_b0().eval()
    timm_sd: dict[str, torch.Tensor] = {}
    for k, v in src.state_dict().items():
        k = k.replace("patch_embed1.", "patch_embed.").replace("dwconv.dwconv", "dwconv")
        k = re.sub(r"^patch_embed(\d)\.", lambda m: f"stages.{int(m[1]) - 1}.downsample.", k)
        k = re.sub(r"^block(\d)\.", lambda m: f"stages.{int(m[1]) - 1}.blocks.", k)
        timm_sd[re.sub(r"^norm(\d)\.", lambda m: f"stages.{int(m[1]) - 1}.norm.", k)] = v
    assert "stages.3.blocks.1.mlp.dwconv.weight" in timm_sd and "stages.0.norm.bias" in timm_sd
    dst = build_backbone("pvt_v2_b0", weights=str(_save(tmp_path, timm_sd))).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        assert all(torch.equal(a, b) for a, b in zip(src(x), dst(x), strict=True))


def test_renamed_and_missing_keys_raise(tmp_path: Path) -> None:
    sd = resnet18().state_dict()
    sd["layer1.0.conv1.weight_renamed"] = sd.pop("layer1.0.conv1.weight")
    path = _save(tmp_path, sd, "renamed.pth")
    with pytest.raises(WeightLoadError) as err:
        build_backbone("resnet18", weights=str(path))
    msg = str(err.value)
    assert "renamed.pth" in msg and "layer1.0.conv1.weight_renamed" in msg and "1 unexpected" in msg
    assert "1 missing: layer1.0.conv1.weight" in msg and "\n" not in msg
    report = load_pretrained(resnet18(), path, strict=False)
    assert report.missing == ["layer1.0.conv1.weight"]
    assert report.unexpected == ["layer1.0.conv1.weight_renamed"]


def test_shape_mismatch_reported(tmp_path: Path) -> None:
    sd = pvt_v2_b0().state_dict()
    sd["norm4.weight"] = torch.ones(512)
    with pytest.raises(WeightLoadError, match=r"1 shape-mismatched: norm4.weight ckpt\[512\] vs model\[256\]"):
        load_pretrained(pvt_v2_b0(), _save(tmp_path, sd))


def test_remap_and_unreadable_files(tmp_path: Path) -> None:
    sd = {f"backbone.{k}": v for k, v in resnet18().state_dict().items()}
    sd["neck.weight"] = torch.zeros(3)
    path = _save(tmp_path, sd)
    report = load_pretrained(resnet18(), path,
                             remap=lambda k: k.removeprefix("backbone.") if k.startswith("backbone.") else None)
    assert report.ok and report.ignored == ["neck.weight"]
    with pytest.raises(WeightLoadError, match="nope.pth: weight file not found"):
        read_state_dict(tmp_path / "nope.pth")
    (tmp_path / "bad.pth").write_text("not a checkpoint")
    with pytest.raises(WeightLoadError, match="bad.pth: not a readable PyTorch checkpoint"):
        read_state_dict(tmp_path / "bad.pth")


def test_builder_errors_and_drop_path() -> None:
    with pytest.raises(ValueError, match="unknown backbone"):
        build_backbone("vit_huge")
    with pytest.raises(ValueError, match="no stochastic depth"):
        build_backbone("resnet18", drop_path_rate=0.1)
    model = build_backbone("pvt_v2_b0", drop_path_rate=0.3)
    x = torch.randn(2, 3, 64, 64)
    model.train()
    assert model(x)[3].shape == (2, 256, 2, 2)
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(x)[3], model(x)[3])


def test_onnx_export_dynamic_batch(tmp_path: Path) -> None:
    ort = pytest.importorskip("onnxruntime")
    model = pvt_v2_b0().eval()
    path = tmp_path / "pvt.onnx"
    # the default (torch.export-based) exporter, as the model export uses; batch must be >= 2 to stay dynamic
    torch.onnx.export(model, (torch.randn(2, 3, 64, 64),), str(path), opset_version=17, dynamo=True,
                      input_names=["x"], output_names=["c1", "c2", "c3", "c4"],
                      dynamic_shapes=({0: torch.export.Dim("n")},))
    x = torch.randn(3, 3, 64, 64)
    outs = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x.numpy()})
    with torch.no_grad():
        ref = model(x)
    assert max(float(np.abs(o - r.numpy()).max()) for o, r in zip(outs, ref, strict=True)) < 1e-4
