"""Run logging: JSON lines (`log.jsonl`, one object per event) plus TensorBoard scalars, rank 0 only."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any


class RunLogger:
    """Append-only event log. `log("train", step, {"loss": ...})` writes
    `{"kind": "train", "step": .., "time": .., "loss": ..}` and scalars `train/loss` to TensorBoard."""

    def __init__(self, run_dir: Path | None, *, tensorboard: bool = True) -> None:
        self.enabled = run_dir is not None
        self.path = run_dir / "log.jsonl" if run_dir else None
        self.writer = None
        if run_dir is not None and tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter

                self.writer = SummaryWriter(log_dir=str(run_dir / "tb"))
            except ImportError:  # tensorboard is optional; the JSON log is always written
                self.writer = None

    def log(self, kind: str, step: int, values: dict[str, Any]) -> None:
        """Record one event; non-scalar values go to the JSON log only."""
        if not self.enabled or self.path is None:
            return
        record = {"kind": kind, "step": step, "time": round(time.time(), 3), **values}
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
        if self.writer is not None:
            for key, value in values.items():
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    self.writer.add_scalar(f"{kind}/{key}", value, step)

    def close(self) -> None:
        """Flush TensorBoard."""
        if self.writer is not None:
            self.writer.close()
