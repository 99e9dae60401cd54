"""ResNet-18/50 feature extractors keyed exactly like torchvision's `resnet18` / `resnet50` checkpoints.

Design reference: ccformer-design.md "Backbones and inputs" (ResNet-50 channels 256/512/1024/2048, strides
4/8/16/32; resnet18 as the CPU variant). Parameter names: conv1, bn1, layer1..layer4 with blocks `{i}.conv1/bn1/
conv2/bn2[/conv3/bn3]` and `{i}.downsample.0/1`; torchvision's `fc.*` classifier is not built (`ignored` on load).
Bottleneck puts the stride on the 3x3 conv (torchvision "ResNet v1.5"), as the published weights expect.
"""

from __future__ import annotations

from torch import Tensor, nn

from ccformer.backbones import Backbone

__all__ = ["BasicBlock", "Bottleneck", "ResNet", "resnet18", "resnet50"]


def _conv3x3(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)


def _conv1x1(cin: int, cout: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(cin, cout, 1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    """Two 3x3 convs + identity (resnet18/34). x [N,cin,H,W] -> [N,planes,H/stride,W/stride]."""

    expansion = 1

    def __init__(self, cin: int, planes: int, stride: int = 1, downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = _conv3x3(cin, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = _conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """1x1 -> 3x3 (strided) -> 1x1 (x4) + identity (resnet50). x [N,cin,H,W] -> [N,4*planes,H/s,W/s]."""

    expansion = 4

    def __init__(self, cin: int, planes: int, stride: int = 1, downsample: nn.Module | None = None) -> None:
        super().__init__()
        self.conv1 = _conv1x1(cin, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = _conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = _conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x: Tensor) -> Tensor:
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(Backbone):
    """ResNet trunk without the classifier; forward returns layer1..layer4 (strides 4, 8, 16, 32).

    x [N,3,H,W] -> [N,C1,H/4,W/4], [N,C2,H/8,W/8], [N,C3,H/16,W/16], [N,C4,H/32,W/32] (ceil for odd sizes).
    """

    def __init__(self, block: type[BasicBlock | Bottleneck], layers: tuple[int, int, int, int]) -> None:
        super().__init__()
        self._cin = 64
        self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0], 1)
        self.layer2 = self._make_layer(block, 128, layers[1], 2)
        self.layer3 = self._make_layer(block, 256, layers[2], 2)
        self.layer4 = self._make_layer(block, 512, layers[3], 2)
        e = block.expansion
        self.out_channels = (64 * e, 128 * e, 256 * e, 512 * e)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def _make_layer(self, block: type[BasicBlock | Bottleneck], planes: int, n: int, stride: int) -> nn.Sequential:
        downsample = None
        if stride != 1 or self._cin != planes * block.expansion:
            downsample = nn.Sequential(
                _conv1x1(self._cin, planes * block.expansion, stride), nn.BatchNorm2d(planes * block.expansion)
            )
        blocks: list[nn.Module] = [block(self._cin, planes, stride, downsample)]
        self._cin = planes * block.expansion
        blocks += [block(self._cin, planes) for _ in range(1, n)]
        return nn.Sequential(*blocks)

    def forward(self, x: Tensor) -> list[Tensor]:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        c1 = self.layer1(x)
        c2 = self.layer2(c1)
        c3 = self.layer3(c2)
        c4 = self.layer4(c3)
        return [c1, c2, c3, c4]


def _no_drop_path(drop_path_rate: float) -> None:
    if drop_path_rate:
        raise ValueError(f"drop_path_rate={drop_path_rate}: ResNet backbones have no stochastic depth")


def resnet18(*, drop_path_rate: float = 0.0) -> ResNet:
    """torchvision resnet18 trunk: out_channels (64, 128, 256, 512). drop_path_rate must stay 0."""
    _no_drop_path(drop_path_rate)
    return ResNet(BasicBlock, (2, 2, 2, 2))


def resnet50(*, drop_path_rate: float = 0.0) -> ResNet:
    """torchvision resnet50 trunk: out_channels (256, 512, 1024, 2048). drop_path_rate must stay 0."""
    _no_drop_path(drop_path_rate)
    return ResNet(Bottleneck, (3, 4, 6, 3))
