"""Where CCFormer's time and FLOPs go, per model part (`ccformer profile`, `ccformer bench`)."""

from ccformer.perf.parts import PARTS, module_part, onnx_node_parts

__all__ = ["PARTS", "module_part", "onnx_node_parts"]
