"""The shipped demo model (models/ccformer-tiny-synth.onnx) and the ablation tooling (`ccformer ablate`).

The model checks are a cheap accuracy floor on freshly generated clips from seeds no split used
(ccformer.demo.recipe.TEST_CLIP_SEED), not the benchmark (models/MODEL_CARD.md has that). The swap check uses
scene pairs (seeds 2m, 2m+1: the same picture, different objects sounding), so only the audio can explain a change.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from ccformer.audio.logmel import clip_examples, waveform_to_examples
from ccformer.cli import main
from ccformer.data.views import SILENT_LOGMEL, AudioOverride, derangement
from ccformer.demo.recipe import TEST_CLIP_SEED
from ccformer.export import METADATA_KEYS, parse_metadata
from ccformer.metrics import SemanticMeter
from ccformer.synth import generate_clip

REPO = Path(__file__).resolve().parents[2]
ONNX = REPO / "models" / "ccformer-tiny-synth.onnx"
SAMPLE = REPO / "assets" / "sample.mp4"
CLIP_SEEDS = [TEST_CLIP_SEED + i for i in range(4)]  # two scene pairs


@pytest.fixture(scope="module")
def session():  # type: ignore[no-untyped-def]
    import onnxruntime as ort

    assert ONNX.is_file(), f"{ONNX} is missing: run `python -m ccformer demo-model --work DIR --ship .`"
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    return ort.InferenceSession(str(ONNX), opts, providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def meta(session) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return parse_metadata(dict(session.get_modelmeta().custom_metadata_map))


@pytest.fixture(scope="module")
def clips(meta):  # type: ignore[no-untyped-def]
    """(frames [T,3,S,S], audio [T,1,96,64], gt [T,S,S]) of each unseen clip, preprocessed as the app does."""
    size = int(meta["input_size"][0])  # type: ignore[index]
    mean = np.array(meta["mean"], np.float32).reshape(1, 3, 1, 1)
    std = np.array(meta["std"], np.float32).reshape(1, 3, 1, 1)
    out = []
    for seed in CLIP_SEEDS:
        clip = generate_clip("avss", seed, size)
        frames = (clip.frames.transpose(0, 3, 1, 2).astype(np.float32) / 255.0 - mean) / std
        audio, _ = clip_examples(waveform_to_examples(clip.waveform, 16000), clip.seconds, "zero")
        out.append((frames.astype(np.float32), audio.astype(np.float32), clip.masks))
    return out


def present_miou(session, clips, audios) -> float:  # type: ignore[no-untyped-def]
    meter = SemanticMeter()
    for (frames, _, gt), audio in zip(clips, audios, strict=True):
        logits = session.run(None, {"frames": frames, "audio": audio})[0]
        meter.update(torch.from_numpy(logits), torch.from_numpy(gt.astype(np.int64)))
    return float(meter.compute()["miou_present"])


def test_shipped_files_exist_and_are_small() -> None:
    assert ONNX.is_file() and ONNX.stat().st_size <= 20e6
    assert SAMPLE.is_file() and SAMPLE.stat().st_size < 2e6


def test_onnx_has_the_contract_metadata(session, meta) -> None:  # type: ignore[no-untyped-def]
    props = dict(session.get_modelmeta().custom_metadata_map)
    assert set(METADATA_KEYS.values()) <= set(props)
    assert meta["task"] == "avss" and meta["frames_per_clip"] == 10 and len(meta["classes"]) == 71  # type: ignore[arg-type]
    assert meta["variant"] == "ccformer_tiny"
    assert "synthetic" in props["training_data"] and "NOT AVSBench" in props["training_data"]
    assert [i.name for i in session.get_inputs()] == ["frames", "audio"]


def test_segments_unseen_clips_and_listens(session, clips) -> None:  # type: ignore[no-untyped-def]
    own = present_miou(session, clips, [c[1] for c in clips])
    swapped = present_miou(session, clips, [clips[i ^ 1][1] for i in range(len(clips))])  # partner's audio
    silent = present_miou(session, clips, [np.full_like(c[1], SILENT_LOGMEL) for c in clips])
    # measured with the shipped model: own 0.940, partner's audio 0.348, silent 0.262 (floors leave a margin)
    assert own >= 0.85, own
    assert swapped < own - 0.4, (own, swapped)
    assert silent < own - 0.4, (own, silent)


def test_derangement_is_deterministic_and_has_no_fixed_point() -> None:
    for n in (2, 3, 7, 60):
        perm = derangement(n, seed=0)
        assert sorted(perm) == list(range(n)) and all(p != i for i, p in enumerate(perm))
        assert perm == derangement(n, seed=0)
    with pytest.raises(ValueError):
        derangement(1)


def test_audio_override_changes_only_the_audio() -> None:
    base = [{"frames": torch.full((2, 3, 4, 4), float(i)), "audio": torch.full((2, 1, 96, 64), float(i + 1)),
             "masks": torch.zeros(2, 4, 4, dtype=torch.long), "valid": torch.tensor([True, False])}
            for i in range(3)]
    swap = AudioOverride(base, "swap", seed=1)
    for i in range(3):
        item = swap[i]
        assert torch.equal(item["frames"], base[i]["frames"])
        assert float(item["audio"][0].max()) == swap.perm[i] + 1 and float(item["audio"][1].abs().max()) == 0
    silent = AudioOverride(base, "silent")[0]["audio"]
    assert torch.allclose(silent[0], torch.full_like(silent[0], SILENT_LOGMEL))
    assert float(AudioOverride(base, "zero")[2]["audio"].abs().max()) == 0


def test_ablate_command_on_a_tiny_fixture(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from ccformer.configs import load_config
    from ccformer.engine.checkpoint import save_checkpoint
    from ccformer.model.registry import build_from_config

    assert main(["synth", "--task", "avss", "--clips", "4", "--seed", "700", "--out", str(tmp_path / "d"),
                 "--size", "32", "--split-seeds", "700", "800", "900", "--val-frac", "0",
                 "--test-frac", "0.5", "--quiet"]) == 0
    cfg = load_config("demo_avss", ["data.size=32", f"data.root={tmp_path / 'd'}"])
    torch.manual_seed(0)
    save_checkpoint(tmp_path / "m.pt", model=build_from_config(cfg.model_config()), config=cfg.to_dict())
    out = tmp_path / "ablate.json"
    assert main(["ablate", "--checkpoint", str(tmp_path / "m.pt"), "--data-root", str(tmp_path / "d"),
                 "--mode", "all", "--out", str(out)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == json.loads(out.read_text())
    assert set(result) == {"info", "none", "swap", "silent", "zero", "drops"}
    assert result["info"]["clips"] == 2 and result["info"]["size"] == 32
    assert 0 <= result["none"]["miou_present"] <= 1 and "swap_miou_present" in result["drops"]
    assert main(["ablate", "--checkpoint", str(tmp_path / "nope.pt"), "--data-root", str(tmp_path)]) == 2


def test_recipe_end_to_end_on_a_tiny_budget(tmp_path: Path) -> None:
    """Every step of `ccformer demo-model` on 32-px clips and one epoch: the files the card is built from, a
    visual-only run initialised from the audio-visual one, a card whose numbers come from those files."""
    from ccformer.demo.lineage import lineage

    work = tmp_path / "w"
    steps = "data,train,visual,ablate,export,int8,card"
    study = tmp_path / "study"
    study.mkdir()
    rec = {"steps": 9, "train_s": 30.0, "none_fscore": 0.5, "swap_miou": 0.2, "swap_fscore": 0.3, "silent_miou": 0.1,
           "silent_fscore": 0.2}
    records = [{"row": "full (defaults)", "seed": 0, "none_miou": 0.50, **rec},
               {"row": "full (defaults)", "seed": 1, "none_miou": 0.54, **rec},
               {"row": "EIM off", "seed": 0, "none_miou": 0.40, **rec}, {"row": "EIM off", "seed": 1, "none_miou": 0.42, **rec}]
    (study / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    (study / "schedule.json").write_text(json.dumps({"epochs": 3, "size": 64, "lr": 0.001, "clips": {"train": 210}}))
    repo = tmp_path / "repo"
    (repo / "models" / "fp32").mkdir(parents=True)
    (repo / "models" / "fp32" / "ccformer-tiny-synth.onnx").write_text("stale")
    assert main(["demo-model", "--work", str(work), "--steps", steps, "--clips", "4", "--val-clips", "2",
                 "--test-clips", "2", "--size", "32", "--epochs", "1", "--visual-epochs", "1", "--jobs", "1",
                 "--set", "run.log_every=1", "--study", str(study), "--ship", str(repo)]) == 0
    results = json.loads((work / "results.json").read_text())
    assert results["data"]["train"] == 4 and results["train_av"]["steps"] == 2
    assert results["train_visual"]["init_from"] == str(work / "runs" / "av" / "best.pt")
    chain = lineage(work / "runs" / "visual")
    assert [Path(st["run_dir"]).name for st in chain] == ["av", "visual"]
    assert chain[1]["audio_override"] == "zero" and chain[0]["train_clips"] == 4
    assert chain[0]["val_miou_present"] and set(chain[0]["loss"]) >= {"w_ce", "w_avss_dice", "w_audio_tag"}
    assert set(results["test"]["av"]) >= {"none", "swap", "silent", "zero", "drops"}
    assert results["onnx"]["opset"] == 18 and (work / "ccformer-tiny-synth.onnx").is_file()
    card = (work / "MODEL_CARD.md").read_text()
    clean = results["test"]["av"]["none"]["miou_present"]
    assert f"| audio-visual (shipped) | the clip's own | {100 * clean:.1f} |" in card
    assert "| 1 | 4 | 1 / 1 | 2 |" in card and "visual-only baseline (shipped model fine-tuned" in card
    assert "One training run from random weights" in card and "- Command: `" in card
    assert "- Stage 1: auxiliary outputs scored at their stride-4 size" in card  # configs/demo_avss.yaml
    # --ship: the gated int8 file is the bundled model and its fp32 source sits in models/fp32; else fp32 alone
    shipped = repo / "models" / "ccformer-tiny-synth.onnx"
    q = results["int8"]
    if q["passed"]:
        assert "## Shipped as int8" in card and f"{q['speed']['speedup_median']}x median" in card
        assert shipped.read_bytes() == (work / "int8" / "ccformer-tiny-synth.onnx").read_bytes()
        assert (repo / "models" / "fp32" / "ccformer-tiny-synth.onnx").read_bytes() == (work / "ccformer-tiny-synth.onnx").read_bytes()
    else:
        assert "## Shipped as fp32" in card and q["reason"] in card
        assert shipped.read_bytes() == (work / "ccformer-tiny-synth.onnx").read_bytes()
        assert not (repo / "models" / "fp32" / "ccformer-tiny-synth.onnx").exists()
    assert (repo / "models" / "MODEL_CARD.md").read_text() == card
    assert "## Ablation (synthetic MS3, reduced schedule)" in card and "3 epoch(s)" in card and "(210 train)" in card
    assert "| EIM off | 2 | 41.0 ± 1.0 |" in card and "| -11.0 |" in card
    assert main(["demo-model", "--work", str(work), "--steps", "card", "--study", str(tmp_path / "none")]) == 2
    assert main(["demo-model", "--work", str(work), "--steps", "bogus"]) == 2
