"""VGGish audio network: one 0.96 s log-mel example -> a 128-d embedding (avsbench.md "VGGish network").

Architecture per Hershey et al. (ICASSP 2017) as published with AudioSet: conv 64-M-128-M-256-256-M-512-512-M
(3x3, padding 1, 2x2 max-pool), FC 4096-4096-128, ReLU after every layer including the last (embeddings are
non-negative), no PCA post-processing. ccformer-design.md: "Audio: VGGish -> 128-d per second", frozen when
AudioSet weights are given.

Parameter names follow the widely used PyTorch port's AudioSet checkpoint (`vggish-*.pth`): the conv stack is one
`features` Sequential (convs at indices 0, 3, 6, 8, 11, 13) and the FC stack is `embeddings` (linears at 0, 2, 4),
so that file loads strictly via `load_pretrained`. Its `pproc.*` (PCA) keys, if present, are ignored.

Flatten order: the TensorFlow original flattens channels-last; the port transposes the conv output
[N,512,6,4] to [N,6,4,512] (time, mel, channel) before flattening, so `embeddings.0` expects input index
`(t*4 + f)*512 + c`. We do the same (`permute(0, 2, 3, 1)`); flattening [N,512,6,4] directly would silently
scramble the ported weights.
"""

from __future__ import annotations

from torch import Tensor, nn

from ccformer.backbones.weights import load_pretrained

__all__ = ["VGGish", "build_audio_net", "AUDIO_NETS"]

# name -> (conv widths, FC hidden widths, trains from scratch)
AUDIO_NETS: dict[str, tuple[tuple[int, int, int, int], tuple[int, int], bool]] = {
    "vggish": ((64, 128, 256, 512), (4096, 4096), False),
    # 1/8 of the channels, for CPU runs and tests. No AudioSet weights exist for it, so it always trains from
    # scratch, and the published layout does not: raw log-mel (mean about -4) through unnormalised convs and a
    # final ReLU left a randomly initialised net with a near-constant, half-zero embedding that never recovered
    # (measured: std across very different sounds 1e-4). It therefore standardises its input, uses BatchNorm
    # after every conv and keeps the last layer linear.
    "vggish_tiny": ((8, 16, 32, 64), (256, 256), True),
}


class VGGish(nn.Module):
    """VGGish without PCA. x [N,1,96,64] (96 frames of 10 ms, 64 mel bands) -> [N,128] (>= 0 when published).

    `frozen=True` turns off gradients and keeps the module in eval mode even when a parent calls `.train()`.
    """

    out_dim: int = 128
    ignored_prefixes: tuple[str, ...] = ("pproc.", "postprocess.")

    def __init__(self, *, widths: tuple[int, int, int, int] = (64, 128, 256, 512),
                 fc: tuple[int, int] = (4096, 4096), frozen: bool = False, from_scratch: bool = False) -> None:
        """`from_scratch`: input BatchNorm, BatchNorm after every conv and a linear last layer (see
        AUDIO_NETS); False keeps the published layout and parameter names exactly."""
        super().__init__()
        c1, c2, c3, c4 = widths
        layers: list[nn.Module] = [nn.BatchNorm2d(1)] if from_scratch else []
        cin = 1
        for v in (c1, "M", c2, "M", c3, c3, "M", c4, c4, "M"):
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers.append(nn.Conv2d(cin, int(v), 3, padding=1))
                if from_scratch:
                    layers.append(nn.BatchNorm2d(int(v)))
                layers.append(nn.ReLU(inplace=True))
                cin = int(v)
        self.features = nn.Sequential(*layers)
        # 96x64 input -> four 2x pools -> 6 x 4 x c4
        last: list[nn.Module] = [] if from_scratch else [nn.ReLU(inplace=True)]
        self.embeddings = nn.Sequential(
            nn.Linear(c4 * 6 * 4, fc[0]), nn.ReLU(inplace=True),
            nn.Linear(fc[0], fc[1]), nn.ReLU(inplace=True),
            nn.Linear(fc[1], self.out_dim), *last,
        )
        self.frozen = False
        if frozen:
            self.freeze()

    def freeze(self) -> None:
        """No gradients, eval mode from now on (the setting of every AVS peer with AudioSet weights)."""
        self.frozen = True
        self.requires_grad_(False)
        self.eval()

    def train(self, mode: bool = True) -> VGGish:
        return super().train(mode and not self.frozen)

    def forward(self, x: Tensor) -> Tensor:
        """x [N,1,96,64] -> [N,128]."""
        x = self.features(x)  # [N,c4,6,4]
        x = x.permute(0, 2, 3, 1).flatten(1)  # channels-last flatten, as the ported TF weights expect
        return self.embeddings(x)


def build_audio_net(name: str, *, weights: str | None = None, frozen: bool) -> VGGish:
    """Build `vggish` (published sizes) or `vggish_tiny`; load `weights` strictly when given.

    Raises ValueError for an unknown name and WeightLoadError when the file does not fit.
    """
    if name not in AUDIO_NETS:
        raise ValueError(f"unknown audio net {name!r}; choose one of {', '.join(sorted(AUDIO_NETS))}")
    widths, fc, from_scratch = AUDIO_NETS[name]
    net = VGGish(widths=widths, fc=fc, from_scratch=from_scratch)
    if weights is not None:
        load_pretrained(net, weights, strict=True)
    if frozen:
        net.freeze()
    return net
