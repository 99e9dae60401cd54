"""Training and evaluation through the real `ccformer.cli.main(argv)` on a tiny S4 fixture (CPU, ccformer_tiny).

Covers: a 2-step run (config saved, logs, checkpoints, best-on-val then test), evaluate with PNG output, resume
mid-epoch == uninterrupted run, DDP (torchrun, gloo, 2 processes) == one process, config / data errors, AVSS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
import yaml
from fixtures.avsbench_layout import write_avss, write_s4
from PIL import Image

from ccformer.cli import main
from ccformer.engine.checkpoint import init_from, load_checkpoint
from ccformer.model.registry import build_model

COMMON = ["data.size=32", "data.num_workers=0", "optim.batch_size=1", "eval.batch_size=2",
          "eval.fscore_batch_size=2", "run.progress=false", "optim.epochs=2", "optim.lr=1e-3"]


@pytest.fixture(autouse=True, scope="module")
def _one_thread():  # type: ignore[no-untyped-def]
    """Shared 2-core machines: one intra-op thread avoids OpenMP spinning against other jobs. Module scope:
    every run of the resume comparison must use the same thread count (reduction order)."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_s4(tmp_path_factory.mktemp("data"), {"train": 3, "val": 1, "test": 3})


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("runs")


def train(root: Path, runs: Path, name: str, *extra: str) -> int:
    return main(["train", "--config", "tiny_s4", "--data-root", str(root), "--out-dir", str(runs), "--name", name,
                 *COMMON, *extra])


def losses(run: Path) -> dict[int, float]:
    rows = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    return {r["step"]: r["loss"] for r in rows if r["kind"] == "train"}


@pytest.fixture(scope="module")
def short_run(root: Path, runs: Path) -> Path:
    """Two optimiser steps (stops mid-epoch 0 of 3 batches), then val, best.pt, and the test run."""
    assert train(root, runs, "short", "optim.max_steps=2", "run.log_every=1") == 0
    return runs / "short"


def test_two_step_run_writes_a_complete_run_folder(short_run: Path) -> None:
    cfg = yaml.safe_load((short_run / "config.yaml").read_text())
    assert cfg["data"]["size"] == 32 and cfg["model"]["variant"] == "ccformer_tiny"
    kinds = [json.loads(line)["kind"] for line in (short_run / "log.jsonl").read_text().splitlines()]
    assert kinds.count("train") == 2 and "val" in kinds and kinds[-1] == "test"
    assert any((short_run / "tb").iterdir())
    ckpt = load_checkpoint(short_run / "last.pt")
    assert (ckpt["epoch"], ckpt["epoch_step"], ckpt["step"]) == (0, 2, 2)
    assert ckpt["model_config"]["input_size"] == 32 and ckpt["config"]["optim"]["max_steps"] == 2
    assert {"optimizer", "scheduler", "rng", "git_sha"} <= set(ckpt)
    test = json.loads((short_run / "test/metrics.json").read_text())["metrics"]
    assert 0.0 <= test["miou"] <= 1.0 and test["fscore_batch_size"] == 2 and test["frames"] == 15


def test_evaluate_writes_pngs_and_matches_the_training_test_run(short_run: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["evaluate", "--checkpoint", str(short_run / "best.pt"), "--split", "test",
                 "--save-png", str(tmp_path / "png"), "--out", str(tmp_path / "eval")]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    test = json.loads((short_run / "test/metrics.json").read_text())["metrics"]
    assert printed == test
    png = tmp_path / "png/dog/s4vidtest0/s4vidtest0_5.png"
    assert set(np.unique(np.asarray(Image.open(png)))) <= {0, 255}
    assert "| miou |" in (tmp_path / "eval/summary.md").read_text()


def test_resume_mid_epoch_continues_identically(root: Path, runs: Path, short_run: Path) -> None:
    assert train(root, runs, "full", "eval.test_after=false", "run.log_every=1") == 0
    resumed = runs / "resumed"
    shutil.copytree(short_run, resumed)
    assert main(["train", "--resume", str(resumed / "last.pt"), "optim.max_steps=0", "eval.test_after=false"]) == 0
    a, b = load_checkpoint(runs / "full/last.pt"), load_checkpoint(resumed / "last.pt")
    assert a["step"] == b["step"] == 6
    for key, value in a["model"].items():
        assert torch.equal(value, b["model"][key]), key
    full, res = losses(runs / "full"), losses(resumed)
    assert all(full[s] == res[s] for s in range(1, 7))


def test_ddp_two_processes_match_one(root: Path, runs: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", "-m", "ccformer",
           "train", "--config", "tiny_s4", "--data-root", str(root), "--out-dir", str(runs), "--name", "ddp",
           *COMMON, "optim.max_steps=1", "eval.batch_size=1", "run.tensorboard=false"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ddp = json.loads((runs / "ddp/test/metrics.json").read_text())["metrics"]
    capsys.readouterr()
    assert main(["evaluate", "--checkpoint", str(runs / "ddp/best.pt"), "--out", str(tmp_path)]) == 0
    single = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert single["frames"] == ddp["frames"] == 15
    for key in ("miou", "fscore", "miou_frame", "fscore_frame", "fscore_dataset"):
        assert single[key] == pytest.approx(ddp[key], abs=1e-9), key


def test_config_and_data_errors_are_one_line(root: Path, runs: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert train(root, runs, "bad", "optim.lrr=1") == 2
    assert "optim.lrr" in capsys.readouterr().err
    assert main(["train", "--config", "tiny_s4", "--data-root", str(runs / "missing"), "--out-dir", str(runs)]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and len(err.strip().splitlines()) == 1
    assert train(root, runs, "bad", "model.d_model=7") == 2
    assert train(root, runs, "bad", "model.bcl=off") == 2  # loss.w_bcl > 0 with BCL off is refused
    assert "w_bcl" in capsys.readouterr().err


def test_init_from_reports_non_matching_heads(short_run: Path) -> None:
    model = build_model("ccformer_tiny", task="avss", input_size=32)
    report = init_from(model, short_run / "best.pt")
    assert report["loaded"] and report["shape_mismatch"] and not report["unexpected"]


def test_avss_train_and_evaluate(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = write_avss(tmp_path, [("v2", "train"), ("v1s", "train"), ("v1m", "val"), ("v1m", "test")], src=32)
    assert main(["train", "--config", "tiny_avss", "--data-root", str(base), "--out-dir", str(tmp_path / "runs"),
                 "--name", "a", *COMMON, "optim.max_steps=1", "optim.batch_size=2", "run.tensorboard=false",
                 "eval.test_after=false"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--checkpoint", str(tmp_path / "runs/a/best.pt"), "--save-png", str(tmp_path / "png")]) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out["frames"] == 10 and 0.0 <= out["miou"] <= 1.0  # 5 real + 5 padded frames are scored
    pngs = sorted((tmp_path / "png/v1m").glob("*/*.png"))
    assert len(pngs) == 5 and Image.open(pngs[0]).mode == "P"
