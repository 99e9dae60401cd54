"""The closed loop of README "Improving the model on your own corrections", end to end on a tiny case: a dataset
in the AVSS layout the app's exporter writes -> `ccformer train --init-from` an earlier checkpoint (augmentation
on) -> `ccformer export` -> the ONNX file satisfies the app's contract (metadata as the app parses it, a run
through onnxruntime with the contract's shapes). The app step itself (pre-labelling with the new file) is the
app's own model-loading path, tested on the TypeScript side."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch
from fixtures.avsbench_layout import write_avss

from ccformer.cli import main
from ccformer.export import parse_metadata

TRAIN = ["data.size=32", "data.num_workers=0", "optim.batch_size=1", "eval.batch_size=1", "run.progress=false",
         "optim.max_steps=1", "run.tensorboard=false", "eval.test_after=false"]


def test_corrected_dataset_to_finetuned_onnx(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    torch.set_num_threads(1)
    data = write_avss(tmp_path, [("v2", "train"), ("v2", "val"), ("v1m", "test")], src=32)
    runs = tmp_path / "runs"
    assert main(["train", "--config", "tiny_avss", "--data-root", str(data), "--out-dir", str(runs),
                 "--name", "base", *TRAIN]) == 0
    base = runs / "base" / "best.pt"
    assert main(["train", "--config", "tiny_avss", "--data-root", str(data), "--out-dir", str(runs),
                 "--name", "tuned", "--init-from", str(base), *TRAIN, "data.augment=true"]) == 0
    out = capsys.readouterr().out
    assert "init from" in out and "tensors loaded" in out
    onnx_path = tmp_path / "tuned.onnx"
    assert main(["export", "--checkpoint", str(runs / "tuned" / "best.pt"), "--out", str(onnx_path),
                 "--opset", "17"]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["task"] == "avss" and max(summary["max_abs_diff"].values()) <= 1e-4
    session = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    meta = parse_metadata(dict(session.get_modelmeta().custom_metadata_map))
    assert meta["task"] == "avss" and meta["input_size"] == [32, 32] and len(meta["classes"]) == 71  # type: ignore[arg-type]
    assert "AVSBench avss" in str(meta["training_data"]) and "best.pt" in str(meta["training_data"])
    t = int(meta["frames_per_clip"])  # type: ignore[call-overload]
    logits = session.run(["logits"], {"frames": np.zeros((t, 3, 32, 32), np.float32),
                                      "audio": np.zeros((t, 1, 96, 64), np.float32)})[0]
    assert logits.shape == (t, 71, 32, 32) and np.isfinite(logits).all()
