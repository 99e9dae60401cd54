"""Where a checkpoint came from: the chain of training runs linked by `run.init_from`, read from the run folders.

Why: the bundled model is trained in stages (a run continued from an earlier run's best.pt, sometimes with more
data or another loss). The card must state every stage that shaped the weights, and reading the run folders
(config.yaml, log.jsonl, the same files `ccformer.engine.fit` writes) is the only way that cannot drift from what
actually ran. A stage stopped early (fewer epochs logged than planned) says so.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import yaml

# the loss weights that act for binary (S4/MS3) and for AVSS training (ccformer.losses.Criterion)
_LOSS_TERMS = {False: ("w_dice", "w_bce", "w_aux", "w_bcl"),
               True: ("w_ce", "w_avss_dice", "w_audio_tag", "w_aux", "w_bcl")}
MAX_STAGES = 20  # a cycle of init_from links cannot exist on disk, but a bound keeps a bad folder harmless


def _train_clips(data_root: str, split: str) -> int | None:
    """Rows of `split` in the AVSS metadata.csv under `data_root` (None when the data is gone)."""
    path = Path(data_root) / "metadata.csv"
    if not path.is_file():
        return None
    with path.open(newline="", encoding="utf-8") as fh:
        return sum(1 for row in csv.DictReader(fh) if row.get("split") == split)


def run_summary(run_dir: Path) -> dict[str, Any]:
    """One run folder -> its settings, per-epoch validation, test result and wall time."""
    cfg = yaml.safe_load((run_dir / "config.yaml").read_text(encoding="utf-8")) or {}
    events = [json.loads(line) for line in (run_dir / "log.jsonl").read_text(encoding="utf-8").splitlines()
              if line.strip()]
    val = [e for e in events if e.get("kind") == "val"]
    test = next((e for e in reversed(events) if e.get("kind") == "test"), None)
    times = [float(e["time"]) for e in events if "time" in e]
    optim, loss, data, model = (cfg.get(k) or {} for k in ("optim", "loss", "data", "model"))
    avss = data.get("task") == "avss"
    weights = {k: v for k, v in loss.items() if k in _LOSS_TERMS[avss] and v}
    notes = []
    if avss and "w_avss_dice" not in loss and loss.get("w_dice"):
        # Runs from before loss.w_avss_dice existed: the demo recipe's own criterion applied loss.w_dice to AVSS.
        weights["w_avss_dice"] = loss["w_dice"]
        notes.append("AVSS Dice weight read from loss.w_dice (the demo recipe's criterion before w_avss_dice)")
    if loss.get("aux_full_res") is False:
        notes.append("auxiliary outputs scored at their stride-4 size against downsampled masks "
                     "(loss.aux_full_res=false)")
    return {
        "run_dir": str(run_dir),
        "init_from": (cfg.get("run") or {}).get("init_from") or "",
        "train_clips": _train_clips(str(data.get("root", "")), str(data.get("train_split", "train"))),
        "size": data.get("size"),
        "audio_override": data.get("audio_override", "none"),
        "epochs_planned": optim.get("epochs"),
        "epochs_run": len(val),
        "steps": max((int(e.get("step", 0)) for e in events), default=0),
        "lr": optim.get("lr"), "warmup_steps": optim.get("warmup_steps"), "batch_size": optim.get("batch_size"),
        "loss": weights,
        "notes": notes,
        "audio_tagging": bool(model.get("audio_tagging", False)),
        "val_miou_present": [round(float(e.get("miou_present", 0.0)), 4) for e in val],
        "test_miou_present": round(float(test["miou_present"]), 4) if test and "miou_present" in test else None,
        "minutes": round((max(times) - min(times)) / 60, 1) if len(times) > 1 else None,
    }


def lineage(run_dir: str | Path) -> list[dict[str, Any]]:
    """Summaries of `run_dir` and every run it was initialised from, oldest first. A link to a checkpoint whose
    folder holds no run files ends the chain with an entry that says only where it pointed."""
    chain: list[dict[str, Any]] = []
    current: Path | None = Path(run_dir)
    while current is not None and len(chain) < MAX_STAGES:
        if not (current / "config.yaml").is_file() or not (current / "log.jsonl").is_file():
            chain.append({"run_dir": str(current), "missing": True})
            break
        summary = run_summary(current)
        chain.append(summary)
        current = Path(summary["init_from"]).parent if summary["init_from"] else None
    return chain[::-1]
