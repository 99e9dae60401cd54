"""Wall-clock timing shared by `ccformer bench` and the demo recipe's int8 step: interleaved runs (so a change
in machine load hits every candidate alike), the onnxruntime CPU session the app's defaults match, and the load."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def time_interleaved(fns: dict[str, Callable[[], Any]], repeats: int) -> dict[str, list[float]]:
    """Seconds per call of each function, one warm-up call each, then `repeats` rounds calling each in turn."""
    for fn in fns.values():  # warm-up: allocations, onnxruntime's first-run planning
        fn()
    times: dict[str, list[float]] = {k: [] for k in fns}
    for _ in range(repeats):
        for key, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[key].append(time.perf_counter() - start)
    return times


def load_average() -> float:
    """1-minute load average: other processes on the machine slow eager PyTorch (OpenMP) far more than
    onnxruntime, so the figures are only comparable when this is below the core count."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


def ort_session(path: Path, threads: int) -> Any:
    """The onnxruntime CPU session the benchmark (and the app's defaults) use: every graph optimisation on."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
