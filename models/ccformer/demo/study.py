"""The ablation study of issue 13 on the synthetic benchmark: one row per switch, >= 2 seeds each, every trained
model also evaluated with swapped and silent audio (does it listen?).

Reduced schedule (CPU): `ccformer synth` MS3 clips at low resolution, ccformer_tiny, a few epochs; the schedule
is stored with the results and printed under the table. Rows are (name, overrides of the training config); a
row's mean is reported with its seed spread (half the range), and a difference from the full model smaller than
the larger of the two spreads is called noise.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

ROWS: dict[str, list[str]] = {
    "full (defaults)": [],
    "EIM off": ["model.eim=false"],
    "video queries off": ["model.video_queries=false"],
    "BCL off": ["model.bcl=off", "loss.w_bcl=0"],
    "audio_attention=clip": ["model.audio_attention=clip"],
    "video_temporal_pos on": ["model.video_temporal_pos=true"],
    "bcl_target=mask_pooled": ["model.bcl_target=mask_pooled"],
    "data.augment on": ["data.augment=true"],
    "lite head (enc 16/32, light stride-4)": ["model.enc_levels=2", "model.enc_kv_pool=1",
                                              "model.light_stride4=true"],
}
MODES = ["none", "swap", "silent"]


def schedule(root: Path, size: int, epochs: int, lr: float) -> list[str]:
    """The reduced training schedule every row shares (overrides of configs/tiny_ms3.yaml)."""
    return [f"data.root={root}", f"data.size={size}", f"optim.epochs={epochs}", f"optim.lr={lr}",
            "optim.schedule=cosine", "optim.warmup_steps=20", "optim.grad_clip=1.0", "data.cache=true",
            "eval.test_after=false", "run.progress=false", "run.tensorboard=false", "run.log_every=50"]


def run_one(row: str, seed: int, *, root: Path, work: Path, size: int, epochs: int, lr: float,
            say: Any = print) -> dict[str, Any]:
    """Train one (row, seed) and evaluate its best-on-val checkpoint on the test split under every audio mode."""
    from ccformer.configs import load_config
    from ccformer.demo.ablation import ablate_checkpoint
    from ccformer.engine.distributed import init_distributed
    from ccformer.engine.fit import fit

    name = f"{row.split(' ')[0].replace('=', '-')}_{len(ROWS[row])}_{seed}"
    cfg = load_config("tiny_ms3", schedule(root, size, epochs, lr) + ROWS[row] +
                      [f"run.seed={seed}", f"run.out_dir={work / 'runs'}", f"run.name={name}"])
    t0 = time.perf_counter()
    result = fit(cfg, init_distributed("cpu"), say=lambda *_: None)
    seconds = time.perf_counter() - t0
    abl = ablate_checkpoint(Path(result["run_dir"]) / "best.pt", root, modes=MODES)
    out = {"row": row, "seed": seed, "train_s": round(seconds, 1), "steps": result["step"],
           **{f"{m}_{k}": abl[m][k] for m in MODES for k in ("miou", "fscore")}}
    say(json.dumps(out))
    return out


def run_study(work: Path, root: Path, *, seeds: list[int], size: int, epochs: int, lr: float,
              rows: list[str] | None = None, say: Any = print) -> list[dict[str, Any]]:
    """Every (row, seed) not yet in work/results.jsonl (so an interrupted study continues)."""
    work.mkdir(parents=True, exist_ok=True)
    path = work / "results.jsonl"
    done = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.is_file() else []
    seen = {(d["row"], d["seed"]) for d in done}
    for seed in seeds:  # seed-major: every row gets its first seed before any row gets a second
        for row in rows or list(ROWS):
            if (row, seed) in seen:
                continue
            rec = run_one(row, seed, root=root, work=work, size=size, epochs=epochs, lr=lr, say=say)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec) + "\n")
            done.append(rec)
    return done


def _stat(values: list[float]) -> tuple[float, float]:
    return sum(values) / len(values), (max(values) - min(values)) / 2


def render_table(records: list[dict[str, Any]]) -> str:
    """Markdown: per row mean ± seed spread of test mIoU / F (own audio), mIoU with swapped / silent audio, and
    the difference from the full model with a noise verdict."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        rows.setdefault(r["row"], []).append(r)
    full = rows.get("full (defaults)")
    base = _stat([r["none_miou"] for r in full]) if full else None
    lines = ["| configuration | seeds | mIoU | F | mIoU swapped audio | mIoU silent | vs full |",
             "|---|---|---|---|---|---|---|"]
    for name in [n for n in ROWS if n in rows]:
        rs = rows[name]
        m, sp = _stat([r["none_miou"] for r in rs])
        f, fsp = _stat([r["none_fscore"] for r in rs])
        sw, swsp = _stat([r["swap_miou"] for r in rs])
        si, sisp = _stat([r["silent_miou"] for r in rs])
        verdict = ""
        if base is not None and name != "full (defaults)":
            diff = 100 * (m - base[0])
            noise = abs(m - base[0]) <= max(sp, base[1])
            verdict = f"{diff:+.1f}{' (noise)' if noise else ''}"
        lines.append(f"| {name} | {len(rs)} | {100 * m:.1f} ± {100 * sp:.1f} | {100 * f:.1f} ± {100 * fsp:.1f} | "
                     f"{100 * sw:.1f} ± {100 * swsp:.1f} | {100 * si:.1f} ± {100 * sisp:.1f} | {verdict} |")
    return "\n".join(lines)
