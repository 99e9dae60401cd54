"""int8 export (ccformer.export.quantize): standard ONNX operators only, the contract metadata plus the
`quantization` note, dynamic T, and the task-level accuracy gate on the demo model (enforced, and seen to fail on
a broken int8 file). The shipped models/ccformer-tiny-synth.onnx is the int8 file of models/fp32/ (same weights)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from ccformer.cli import main
from ccformer.demo.recipe import TEST_SEED
from ccformer.export import METADATA_KEYS, parse_metadata
from ccformer.export.quantize import QUANT_KEY, nonstandard_ops
from ccformer.export.quantize_check import AccuracyGateError, compare_models, gate

MODELS = Path(__file__).resolve().parents[2] / "models"
BUNDLED = MODELS / "fp32" / "ccformer-tiny-synth.onnx"  # the fp32 source of the shipped int8 model
SHIPPED = MODELS / "ccformer-tiny-synth.onnx"
GATE_CLIPS = 2  # the full check (60 clips, the demo test split) is `ccformer export --onnx ... --quantize int8`


@pytest.fixture(scope="module")
def int8_bundled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:  # type: ignore[type-arg]
    out = tmp_path_factory.mktemp("int8") / "tiny-int8.onnx"
    argv = ["export", "--onnx", str(BUNDLED), "--out", str(out), "--quantize", "int8",
            "--gate-clips", str(GATE_CLIPS), "--calibration-clips", "1"]
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0
    return out, json.loads(buf.getvalue())


def test_int8_file_keeps_the_contract_and_standard_ops(int8_bundled) -> None:  # type: ignore[no-untyped-def]
    path, summary = int8_bundled
    model = onnx.load(str(path))
    assert nonstandard_ops(model) == []
    assert sum(n.op_type == "MatMulInteger" for n in model.graph.node) > 50  # dynamic Linear layers
    assert sum(n.op_type == "QuantizeLinear" for n in model.graph.node) > 10  # QDQ convolutions
    props = {p.key: p.value for p in model.metadata_props}
    assert set(METADATA_KEYS.values()) <= set(props)
    assert json.loads(props[QUANT_KEY])["scheme"] == "int8"
    assert parse_metadata(props)["variant"] == "ccformer_tiny"
    assert path.stat().st_size < BUNDLED.stat().st_size / 2
    assert summary["int8"]["gated"] is True


def test_int8_runs_with_T_5_and_10(int8_bundled) -> None:  # type: ignore[no-untyped-def]
    session = ort.InferenceSession(str(int8_bundled[0]), providers=["CPUExecutionProvider"])
    for t in (5, 10):
        out = session.run(None, {"frames": np.zeros((t, 3, 128, 128), np.float32),
                                 "audio": np.zeros((t, 1, 96, 64), np.float32)})[0]
        assert out.shape == (t, 71, 128, 128) and np.isfinite(out).all()


def test_gate_passes_the_int8_model_and_fails_a_broken_one(int8_bundled, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, summary = int8_bundled
    check = summary["int8"]["check"]
    assert check["clips"] == GATE_CLIPS and check["seeds"][0] == TEST_SEED
    assert check["argmax_agreement"] > 0.99 and check["fp32"]["miou_present"] > 50
    gate(check)  # within 0.5 points
    with pytest.raises(AccuracyGateError):
        gate(check, max_drop=-1.0)  # the threshold is really compared
    model = onnx.load(str(path))  # break it: every convolution weight scale x 50
    for init in model.graph.initializer:
        if init.name.endswith("weight_scale"):
            arr = onnx.numpy_helper.to_array(init) * 50
            init.CopyFrom(onnx.numpy_helper.from_array(arr.astype(np.float32), init.name))
    broken = tmp_path / "broken.onnx"
    onnx.save(model, str(broken))
    bad = compare_models(BUNDLED, broken, [TEST_SEED])
    with pytest.raises(AccuracyGateError, match="mIoU points"):
        gate(bad)


def test_the_shipped_model_is_the_gated_int8_file() -> None:
    shipped, source = onnx.load(str(SHIPPED)), onnx.load(str(BUNDLED))
    props = {p.key: p.value for p in shipped.metadata_props}
    assert json.loads(props[QUANT_KEY])["scheme"] == "int8" and nonstandard_ops(shipped) == []
    assert QUANT_KEY not in {p.key for p in source.metadata_props}
    same = {k: v for k, v in props.items() if k != QUANT_KEY}
    assert same == {p.key: p.value for p in source.metadata_props}  # same contract metadata as its source


def test_quantize_flag_needs_a_real_source(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["export", "--onnx", str(BUNDLED), "--out", str(tmp_path / "x.onnx")]) == 2
    assert "--quantize int8" in capsys.readouterr().err
    assert main(["export", "--onnx", str(tmp_path / "nope.onnx"), "--out", str(tmp_path / "x.onnx"),
                 "--quantize", "int8"]) == 2
    assert "nope.onnx" in capsys.readouterr().err


def _quantised_convs(model: onnx.ModelProto) -> tuple[int, int]:
    """(dense, depthwise) Conv nodes whose weight comes from a DequantizeLinear, i.e. that run as int8."""
    dq_outputs = {o for n in model.graph.node if n.op_type == "DequantizeLinear" for o in n.output}
    dense = depthwise = 0
    for n in model.graph.node:
        if n.op_type == "Conv" and n.input[1] in dq_outputs:
            group = next((a.i for a in n.attribute if a.name == "group"), 1)
            depthwise += group > 1
            dense += group == 1
    return dense, depthwise


def test_dense_conv_scheme_leaves_depthwise_convs_fp32(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from ccformer.export.quantize import calibration_clips, depthwise_convs, quantize_int8

    base = onnx.load(str(BUNDLED))
    assert depthwise_convs(base), "the tiny model has PVT's depthwise convs"
    feeds = calibration_clips("avss", 128, 5, clips=1)
    every, dense = tmp_path / "on.onnx", tmp_path / "dense.onnx"
    quantize_int8(BUNDLED, every, feeds)
    info = quantize_int8(BUNDLED, dense, feeds, skip_depthwise=True)
    on_dense, on_dw = _quantised_convs(onnx.load(str(every)))
    d_dense, d_dw = _quantised_convs(onnx.load(str(dense)))
    assert on_dw == len(depthwise_convs(base)) and d_dw == 0
    assert d_dense == on_dense > 0
    assert "depthwise fp32" in info["conv"]
