"""ONNX export under the app's contract (src-main/shared/onnx-contract.ts, docs/model-contract.md).

    from ccformer.export import export_onnx
    result = export_onnx(model, "model.onnx")          # task/variant/input size from model.config
    result.max_abs_diff                                 # {5: 1.1e-06, 10: 1.3e-06}
"""

from ccformer.export.metadata import METADATA_KEYS, build_metadata, parse_metadata
from ccformer.export.onnx_export import PARITY_ATOL, ExportError, ExportResult, check_parity, export_onnx

__all__ = [
    "METADATA_KEYS",
    "PARITY_ATOL",
    "ExportError",
    "ExportResult",
    "build_metadata",
    "check_parity",
    "export_onnx",
    "parse_metadata",
]
