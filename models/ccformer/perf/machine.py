"""The machine a figure was measured on: CPU model, its vector extensions, core count, load.

Why the flags: int8 speed depends on them more than on anything in the model. VNNI (avx512_vnni / avx_vnni)
does an int8 multiply-add in one instruction and AMX (amx_int8) a whole tile; plain AVX2 has neither, and
onnxruntime's int8 GEMM there is a uint8 x int8 multiply, pairwise add and widen, so int8 gains less.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

from ccformer.perf.timing import load_average

_KEEP = ("avx", "avx2", "fma", "f16c", "avx_vnni", "amx_bf16", "amx_int8", "amx_tile")


def cpu_info() -> dict[str, object]:
    """{"cpu": model name, "vector": relevant flags, "cores": logical CPUs, "load_1min": 1-min load average}."""
    model, flags = platform.processor() or platform.machine(), []
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name") and model in ("", platform.machine(), platform.processor()):
                model = line.split(":", 1)[1].strip()
            elif line.startswith("flags") and not flags:
                flags = line.split(":", 1)[1].split()
    except OSError:
        pass
    vector = sorted(f for f in set(flags) if f in _KEEP or f.startswith("avx512"))
    return {"cpu": model, "vector": vector, "vnni": any("vnni" in f for f in vector),
            "amx": any(f.startswith("amx") for f in vector), "cores": os.cpu_count(),
            "load_1min": load_average()}
