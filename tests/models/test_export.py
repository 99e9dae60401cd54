"""ONNX export: parity for T=5 and T=10, the metadata keys of src-main/shared/onnx-contract.ts, the commands."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch

from ccformer.avss import AVSS_CLASSES
from ccformer.cli import main
from ccformer.export import METADATA_KEYS, ExportError, export_onnx, parse_metadata
from ccformer.model import build_model

CONTRACT_TS = Path(__file__).resolve().parents[2] / "src-main" / "shared" / "onnx-contract.ts"


def _contract_keys() -> dict[str, str]:
    """METADATA_KEYS of onnx-contract.ts, read from the source so the test follows the contract file."""
    block = re.search(r"METADATA_KEYS = \{(.*?)\}", CONTRACT_TS.read_text(), re.S)
    assert block, "METADATA_KEYS not found in onnx-contract.ts"
    return dict(re.findall(r"(\w+):\s*'([^']+)'", block.group(1)))


@pytest.fixture(scope="module")
def tiny_avss(tmp_path_factory):
    """ccformer_tiny (AVSS) exported once with the default (dynamo) exporter at the full 224 size."""
    torch.manual_seed(0)
    model = build_model("ccformer_tiny", task="avss").eval()
    out = tmp_path_factory.mktemp("onnx") / "tiny-avss.onnx"
    return model, export_onnx(model, out, log=lambda _: None)


def test_python_metadata_keys_mirror_the_contract():
    assert METADATA_KEYS == _contract_keys()


def test_export_parity_for_5_and_10_frames(tiny_avss):
    _, result = tiny_avss
    assert set(result.max_abs_diff) == {5, 10}
    assert all(d <= 1e-4 for d in result.max_abs_diff.values()), result.max_abs_diff
    assert result.opset >= 17 and result.size_bytes <= 20e6


def test_exported_graph_runs_with_dynamic_T_and_matches_torch(tiny_avss):
    model, result = tiny_avss
    session = ort.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    assert [i.name for i in session.get_inputs()] == ["frames", "audio"]
    assert [o.name for o in session.get_outputs()] == ["logits"]
    for t in (5, 10):
        frames = torch.randn(t, 3, 224, 224)
        audio = torch.randn(t, 1, 96, 64)
        got = session.run(None, {"frames": frames.numpy(), "audio": audio.numpy()})[0]
        with torch.no_grad():
            ref = model.predict(frames[None], audio[None])[0].numpy()
        assert got.shape == (t, 71, 224, 224)
        assert np.abs(got - ref).max() <= 1e-4


def test_metadata_has_every_contract_key_and_parses(tiny_avss):
    _, result = tiny_avss
    props = {p.key: p.value for p in onnx.load(str(result.path), load_external_data=False).metadata_props}
    assert set(props) == set(_contract_keys().values())
    meta = parse_metadata(props)
    assert meta["task"] == "avss" and meta["classes"] == list(AVSS_CLASSES)
    assert meta["input_size"] == [224, 224] and meta["frames_per_clip"] == 10
    assert meta["mean"] == [0.485, 0.456, 0.406] and meta["std"] == [0.229, 0.224, 0.225]
    assert meta["sample_rate"] == 16000 and meta["model"] == "CCFormer" and meta["variant"] == "ccformer_tiny"
    assert meta["version"] and meta["training_data"]


def test_parity_failure_raises(tmp_path):
    model = build_model("ccformer_tiny", task="s4", input_size=64)
    with pytest.raises(ExportError, match="disagrees"):
        export_onnx(model, tmp_path / "m.onnx", opset=17, atol=0.0, check_frames=(2,), log=lambda _: None)


def test_export_command_from_checkpoint(tmp_path, capsys):
    torch.manual_seed(0)
    model = build_model("ccformer_tiny", task="s4", input_size=64)
    ckpt = tmp_path / "best.pt"
    torch.save({"model": model.state_dict(), "model_config": model.config.to_dict(), "epoch": 7,
                "config": {"data": {"task": "s4", "root": "/data/Single-source"}}}, ckpt)
    out = tmp_path / "s4.onnx"
    code = main(["export", "--checkpoint", str(ckpt), "--out", str(out), "--opset", "17"])
    assert code == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["exporter"] == "torchscript" and set(summary["max_abs_diff"]) == {"5", "10"}
    props = {p.key: p.value for p in onnx.load(str(out)).metadata_props}
    assert props["task"] == "s4" and json.loads(props["classes"]) == ["sounding"]
    assert json.loads(props["input_size"]) == [64, 64] and props["frames_per_clip"] == "5"
    assert "Single-source" in props["training_data"] and "7 epochs" in props["training_data"]


def test_export_command_errors_name_the_problem(tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path / "x.onnx")]) == 2
    assert "--variant" in capsys.readouterr().err
    assert main(["export", "--checkpoint", str(tmp_path / "nope.pt"), "--out", str(tmp_path / "x.onnx")]) == 2
    assert "nope.pt" in capsys.readouterr().err


def test_bench_command_prints_json_lines(capsys):
    code = main(["bench", "--variants", "ccformer_tiny", "--repeats", "1", "--frames", "2", "--input-size", "64",
                 "--exporter", "torchscript"])
    assert code == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.strip().splitlines()]
    assert {"name", "value", "unit", "goal"} <= set(lines[0])
    names = {x["name"] for x in lines}
    assert {"ccformer_tiny.params", "ccformer_tiny.eager_s", "ccformer_tiny.onnxruntime_s",
            "ccformer_tiny.speedup"} <= names
