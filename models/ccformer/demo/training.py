"""Train through the project's own `ccformer.engine.fit`, with the demo's dataset wrappers slotted in.

Why not a loop of our own: `fit` already does best-on-val selection, self-describing checkpoints, logs and the
final test run; the demo only changes *which dataset objects* it reads. `fit` gets its datasets from
`ccformer.engine.builders.build_dataset`, so `demo_datasets` swaps that one function for the duration of a run:
every split is served from memory (`CachedClips`), and a config whose `model.extra.train_audio` is `zero` (the
visual-only baseline, configs/demo_avss_visual.yaml) gets all-zero audio in train, val *and* test. The flag lives
in the model config's free-form `extra`, so the checkpoint itself records that its model never heard anything. `fit`'s criterion is
swapped for `ccformer.demo.losses.DemoCriterion` (cross-entropy + `loss.w_dice` x multi-class Dice for AVSS).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ccformer.configs import Config
from ccformer.demo.datasets import AudioOverride, CachedClips
from ccformer.demo.losses import DemoCriterion

TRAIN_AUDIO = ("real", "zero")


def train_audio_mode(cfg: Config) -> str:
    """`model.extra.train_audio` of a training config: "real" (default) or "zero" (visual-only baseline)."""
    mode = str(((cfg.model.get("extra") or {}).get("train_audio")) or "real")
    if mode not in TRAIN_AUDIO:
        raise ValueError(f"model.extra.train_audio must be one of {TRAIN_AUDIO}, got {mode!r}")
    return mode


@contextmanager
def demo_datasets(audio: str = "real", cache: bool = True) -> Iterator[None]:
    """While active, `builders.build_dataset` returns cached (and, for audio="zero", audio-zeroed) datasets and
    `fit` builds `DemoCriterion` (AVSS Dice term, ccformer.demo.losses) instead of `Criterion`."""
    from ccformer.engine import builders
    from ccformer.engine import fit as fit_module

    original, original_criterion = builders.build_dataset, fit_module.Criterion

    def build(cfg: Config, split: str) -> Any:
        ds: Any = original(cfg, split)
        if cache:
            ds = CachedClips(ds)
        return AudioOverride(ds, "zero") if audio == "zero" else ds

    builders.build_dataset = build  # type: ignore[assignment]
    fit_module.Criterion = DemoCriterion  # type: ignore[misc]
    try:
        yield
    finally:
        builders.build_dataset = original  # type: ignore[assignment]
        fit_module.Criterion = original_criterion  # type: ignore[misc]


def train(cfg: Config, *, say: Any = print) -> dict[str, Any]:
    """Run `fit` single-process on `cfg` with the demo datasets; returns fit's summary (run_dir, best, test)."""
    from ccformer.engine.distributed import init_distributed
    from ccformer.engine.fit import fit

    if cfg.data.num_workers != 0:
        raise ValueError("the demo recipe caches clips in this process: set data.num_workers=0")
    info = init_distributed(cfg.run.device)
    with demo_datasets(train_audio_mode(cfg)):
        return fit(cfg, info, say=say)
