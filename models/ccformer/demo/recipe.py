"""The demo-model recipe: synthetic AVSS data -> ccformer_tiny (audio-visual and visual-only) -> test metrics and
audio ablations -> ONNX under the app's contract -> model card. `ccformer demo-model` runs it.

Why a recipe and not a README: the bundled model must be reproducible by one command on a laptop CPU, and every
number in models/MODEL_CARD.md must come from the files this writes. Work folder layout (`--work DIR`):
    data/AVSBench-semantic/   the generated splits (`ccformer synth`; train/val/test from disjoint seed ranges)
    runs/av/, runs/visual/    training runs (ccformer.engine.fit: config.yaml, log.jsonl, best.pt, test/);
                              the visual-only baseline starts from runs/av/best.pt (see step_train)
    results.json              every measured metric + timings + settings (the card is rendered from it)
    ccformer-tiny-synth.onnx  the exported fp32 model;  int8/ccformer-tiny-synth.onnx  its gated int8 version
    MODEL_CARD.md;  sample/{uid}.mp4
Each step reads only what earlier steps wrote, so `--steps` can rerun any of them.
"""

from __future__ import annotations

import json
import platform
import shutil
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STEPS = ("data", "train", "visual", "ablate", "export", "int8", "sample", "card")
ONNX_NAME = "ccformer-tiny-synth.onnx"
TRAIN_SEED, VAL_SEED, TEST_SEED = 0, 1_000_000, 2_000_000
SAMPLE_SEED = 9_000_000  # unseen by training, validation and test
TEST_CLIP_SEED = 8_000_000  # first seed tests/models/test_demo_model.py generates from (also unseen)
CONFIGS = {"av": "demo_avss", "visual": "demo_avss_visual"}


@dataclass
class Settings:
    """What the recipe was asked to do (stored in results.json so the card can print the exact command)."""

    work: str
    clips: int = 1200
    val_clips: int = 40
    test_clips: int = 60
    size: int = 128
    epochs: int = 0  # 0: the config's
    visual_epochs: int = 1
    overrides: list[str] = field(default_factory=list)
    jobs: int = 2
    command: str = ""
    study: str = ""  # a `ccformer study --work` folder whose ablation table the card carries


def _root(s: Settings) -> Path:
    return Path(s.work) / "data" / "AVSBench-semantic"


def _results(s: Settings) -> dict[str, Any]:
    """results.json plus each training run's summary (written by the run itself, so parallel runs never race)."""
    path = Path(s.work) / "results.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for which in CONFIGS:
        summary = Path(s.work) / "runs" / which / "recipe_train.json"
        if summary.is_file():
            data[f"train_{which}"] = json.loads(summary.read_text(encoding="utf-8"))
    return data


def _save(s: Settings, update: dict[str, Any]) -> dict[str, Any]:
    data = {**_results(s), **update, "settings": asdict(s)}
    (Path(s.work) / "results.json").write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return data


def step_data(s: Settings, say: Any = print) -> None:
    """Generate train/val/test with `ccformer synth` (disjoint seed ranges) at the training input size."""
    from ccformer.cli import main

    out = Path(s.work) / "data"
    if out.exists():
        shutil.rmtree(out)
    total = s.clips + s.val_clips + s.test_clips
    argv = ["synth", "--task", "avss", "--clips", str(total), "--out", str(out), "--size", str(s.size),
            "--split-seeds", str(TRAIN_SEED), str(VAL_SEED), str(TEST_SEED),
            "--val-frac", str(s.val_clips / total), "--test-frac", str(s.test_clips / total),
            "--jobs", str(s.jobs), "--quiet"]
    t0 = time.perf_counter()
    if main(argv) != 0:
        raise RuntimeError(f"ccformer {' '.join(argv)} failed")
    _save(s, {"data": {"root": str(_root(s)), "train": s.clips, "val": s.val_clips, "test": s.test_clips,
                       "seeds": {"train": TRAIN_SEED, "val": VAL_SEED, "test": TEST_SEED}, "size": s.size,
                       "seconds": round(time.perf_counter() - t0, 1)}})


def train_config(s: Settings, which: str) -> Any:
    """The resolved training Config of run `which` ("av" | "visual").

    The visual-only baseline is initialised from the audio-visual model's best checkpoint and fine-tuned for
    `visual_epochs` with all-zero audio. Why: it then starts from the same visual features and segmentation
    quality as the shipped model, so what it loses is what hearing contributes (a from-scratch baseline would
    also lose training time, which flatters the audio-visual model); it is the stronger, fairer baseline."""
    from ccformer.configs import load_config

    extra = [f"data.root={_root(s)}", f"data.size={s.size}", f"run.out_dir={Path(s.work) / 'runs'}",
             f"run.name={which}"]
    if which == "visual":
        extra += [f"run.init_from={_ckpt(s, 'av')}", f"optim.epochs={s.visual_epochs}"]
    elif s.epochs:
        extra.append(f"optim.epochs={s.epochs}")
    return load_config(CONFIGS[which], extra + list(s.overrides))


def step_train(s: Settings, which: str, say: Any = print) -> None:
    """Train run `which` (a fresh run folder each time) and record its best epoch and training time."""
    from ccformer.engine.distributed import init_distributed
    from ccformer.engine.fit import fit

    cfg = train_config(s, which)
    run_dir = Path(cfg.run.out_dir) / cfg.run.name
    if run_dir.exists():
        shutil.rmtree(run_dir)
    t0 = time.perf_counter()
    result = fit(cfg, init_distributed(cfg.run.device), say=say)  # single process; the configs cache clips
    seconds = time.perf_counter() - t0
    import torch

    summary = {"run_dir": result["run_dir"], "best": result["best"], "steps": result["step"],
               "seconds": round(seconds, 1), "config": CONFIGS[which], "epochs": cfg.optim.epochs,
               "lr": cfg.optim.lr, "batch_size": cfg.optim.batch_size, "threads": torch.get_num_threads(),
               "init_from": cfg.run.init_from, "command": s.command,
               "test_during_fit": {k: v for k, v in (result.get("test") or {}).items() if not isinstance(v, list)}}
    (run_dir / "recipe_train.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    say(f"{which}: trained in {seconds / 60:.1f} min, best val mIoU {result['best']['miou']:.4f}")


def _ckpt(s: Settings, which: str) -> Path:
    path = Path(s.work) / "runs" / which / "best.pt"
    if not path.is_file():
        raise FileNotFoundError(f"{path} not found: run the '{'train' if which == 'av' else 'visual'}' step first")
    return path


def step_ablate(s: Settings, say: Any = print) -> None:
    """Test metrics of both models under every audio condition (ccformer.demo.ablation)."""
    from ccformer.demo.ablation import ablate_checkpoint, visual_oracle

    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    out["av"] = ablate_checkpoint(_ckpt(s, "av"), _root(s), modes=["none", "swap", "silent", "zero"])
    visual = Path(s.work) / "runs" / "visual" / "best.pt"
    if visual.is_file():
        out["visual"] = ablate_checkpoint(visual, _root(s), modes=["zero", "none"])
    seeds = list(range(TEST_SEED, TEST_SEED + s.test_clips))
    out["visual_oracle"] = {"zero": visual_oracle(seeds, s.size)}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    _save(s, {"test": out})
    say(json.dumps({k: {m: v.get("miou_present") for m, v in r.items() if isinstance(v, dict) and m != "info"}
                    for k, r in out.items() if isinstance(r, dict)}))


def training_data_text(s: Settings) -> str:
    """The `training_data` metadata string: honest about what the weights saw."""
    return (f"synthetic AVSS-style scenes generated by `ccformer synth` (procedural shapes with class sounds, "
            f"{s.clips} training clips, seeds {TRAIN_SEED}..{TRAIN_SEED + s.clips - 1}, {s.size} px); "
            "NOT AVSBench and not real video: a demo/pipeline model, see models/MODEL_CARD.md")


def step_export(s: Settings, say: Any = print) -> Path:
    """Export the audio-visual model's best checkpoint to ONNX (contract metadata, onnxruntime parity check)."""
    from ccformer.demo.ablation import load_model
    from ccformer.export import export_onnx

    model, _ = load_model(_ckpt(s, "av"))
    out = Path(s.work) / ONNX_NAME
    result = export_onnx(model, out, training_data=training_data_text(s), log=say)
    _save(s, {"onnx": {"file": str(out), "size_bytes": result.size_bytes, "exporter": result.exporter,
                       "opset": result.opset, "max_abs_diff": {str(k): v for k, v in result.max_abs_diff.items()},
                       "metadata": result.metadata,
                       "parameters": sum(p.numel() for p in model.parameters())}})
    return out


def step_int8(s: Settings, say: Any = print) -> Path | None:
    """Quantise the exported model (ccformer.export.int8_file) and gate it on this recipe's test split (at most
    0.5 mIoU points lost); time both files side by side. A failed gate is recorded, and the fp32 file ships."""
    from ccformer.export.int8_file import Int8CheckError, Int8Options, quantize_checked, speed_ratio

    fp32, out = Path(s.work) / ONNX_NAME, Path(s.work) / "int8" / ONNX_NAME
    out.parent.mkdir(exist_ok=True)
    try:
        summary = quantize_checked(fp32, out, Int8Options(gate_clips=s.test_clips, gate_seed=TEST_SEED), log=say)
    except Int8CheckError as err:
        out.unlink(missing_ok=True)
        _save(s, {"int8": {"passed": False, "reason": str(err)}})
        say(f"int8 not shipped: {err}")
        return None
    summary["speed"] = speed_ratio(fp32, out, frames=10)
    _save(s, {"int8": {"passed": True, **summary}})
    say(f"int8 {summary['size_mb']} MB, {summary['speed']['speedup_median']}x median vs fp32")
    return out


def shipped_files(s: Settings) -> list[tuple[Path, str]]:
    """(file in the work folder, path under the repository root) for `--ship`: the gated int8 model as the
    bundled one with its fp32 source beside it, or the fp32 model alone when int8 did not pass."""
    work, r = Path(s.work), _results(s)
    card = (work / "MODEL_CARD.md", "models/MODEL_CARD.md")
    if (r.get("int8") or {}).get("passed") and (work / "int8" / ONNX_NAME).is_file():
        return [(work / "int8" / ONNX_NAME, f"models/{ONNX_NAME}"), (work / ONNX_NAME, f"models/fp32/{ONNX_NAME}"), card]
    return [(work / ONNX_NAME, f"models/{ONNX_NAME}"), card]


def load_study(folder: str) -> dict[str, Any]:
    """The ablation records and schedule `ccformer study --work folder` wrote (for the card)."""
    root = Path(folder)
    records = [json.loads(x) for x in (root / "results.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    schedule = root / "schedule.json"
    return {"records": records, "schedule": json.loads(schedule.read_text(encoding="utf-8")) if schedule.is_file() else {}}


def step_sample(s: Settings, say: Any = print, size: int = 224) -> Path:
    """The app's sample video: one AVSS clip (10 s, H.264 + AAC) from the unseen seed SAMPLE_SEED."""
    from ccformer.synth import generate_clip, write_mp4

    clip = generate_clip("avss", SAMPLE_SEED, size)
    path = write_mp4(clip, Path(s.work) / "sample" / f"{clip.uid}.mp4", crf=23)
    sounding = [clip.sounding(k) for k in range(clip.seconds)]
    _save(s, {"sample": {"file": str(path), "seed": SAMPLE_SEED, "size": size, "bytes": path.stat().st_size,
                         "classes": clip.class_names, "sounding": sounding}})
    say(f"sample video {path} ({path.stat().st_size / 1e6:.2f} MB), objects {clip.class_names}")
    return path


def environment() -> dict[str, Any]:
    """Hardware/software the run used (for the card)."""
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "threads": torch.get_num_threads(), "torch": torch.__version__,
            "python": platform.python_version(), "os": platform.platform()}


def run_steps(s: Settings, steps: list[str], *, ship: Path | None = None, say: Any = print) -> dict[str, Any]:
    """Run `steps` in recipe order; with `ship` (the repository root) copy the ONNX, card and sample there."""
    from ccformer.demo.card import write_card
    from ccformer.demo.lineage import lineage

    Path(s.work).mkdir(parents=True, exist_ok=True)
    _save(s, {"environment": environment()})
    todo = [x for x in STEPS if x in steps]
    for step in todo:
        say(f"== demo-model step {step}")
        if step == "data":
            step_data(s, say)
        elif step in ("train", "visual"):
            step_train(s, "av" if step == "train" else "visual", say)
        elif step == "ablate":
            step_ablate(s, say)
        elif step == "export":
            step_export(s, say)
        elif step == "int8":
            step_int8(s, say)
        elif step == "sample":
            step_sample(s, say)
        elif step == "card":
            _save(s, {"lineage": {w: lineage(Path(s.work) / "runs" / w) for w in CONFIGS
                                  if (Path(s.work) / "runs" / w / "log.jsonl").is_file()}})
            if s.study:
                _save(s, {"study": load_study(s.study)})
            write_card(_results(s), Path(s.work) / "MODEL_CARD.md")
    if ship is not None:
        stale = ship / "models" / "fp32" / ONNX_NAME
        files = shipped_files(s)
        if all(rel != f"models/fp32/{ONNX_NAME}" for _, rel in files) and files[0][0].is_file():
            stale.unlink(missing_ok=True)  # an fp32 bundled model has no separate fp32 source
        for src, rel in files:
            if src.is_file():
                (ship / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, ship / rel)
                say(f"shipped {ship / rel}")
        sample = _results(s).get("sample", {}).get("file")
        if sample and Path(sample).is_file():
            (ship / "assets").mkdir(exist_ok=True)
            shutil.copyfile(sample, ship / "assets" / "sample.mp4")
            say(f"shipped {ship / 'assets' / 'sample.mp4'}")
    return _results(s)
