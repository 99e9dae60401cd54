"""Cross-rank reduction for metric accumulators: every meter keeps only sums and counts, so SUM is exact."""

from __future__ import annotations

import torch
import torch.distributed as dist


def all_reduce_sum(tensors: list[torch.Tensor]) -> None:
    """In-place SUM all-reduce of CPU float64 tensors across the default process group (no-op if none).

    The tensors are packed into one buffer (one collective), moved to the backend's device (NCCL needs CUDA)
    and copied back, so callers never care which backend runs.
    """
    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return
    flat = torch.cat([t.reshape(-1) for t in tensors])
    device = torch.device("cuda", torch.cuda.current_device()) if dist.get_backend() == "nccl" else flat.device
    buf = flat.to(device)
    dist.all_reduce(buf, op=dist.ReduceOp.SUM)
    flat = buf.cpu()
    offset = 0
    for t in tensors:
        n = t.numel()
        t.copy_(flat[offset:offset + n].view_as(t))
        offset += n


class SumMeter:
    """Base of the metric meters: subclasses keep only sum tensors and list them in `state()`, so merging two
    meters and reducing across ranks are the same element-wise addition for every metric."""

    def state(self) -> list[torch.Tensor]:
        raise NotImplementedError

    def merge(self, other: SumMeter) -> None:
        """Add another meter's sums (same configuration)."""
        for mine, theirs in zip(self.state(), other.state(), strict=True):
            mine += theirs

    def all_reduce(self) -> None:
        """SUM-reduce the state across torch.distributed ranks (no-op when not distributed)."""
        all_reduce_sum(self.state())
