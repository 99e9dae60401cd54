"""AVSBench metrics: binary (S4/MS3) and semantic (AVSS) meters that reduce exactly across DDP ranks."""

from ccformer.metrics.binary import BinaryMeter, frame_fcurve, frame_iou
from ccformer.metrics.semantic import SemanticMeter

__all__ = ["BinaryMeter", "SemanticMeter", "frame_fcurve", "frame_iou"]
