"""The model parts a cost is attributed to, and how an ONNX node finds its part.

Parts follow CCFormer's top-level modules (ccformer.model.ccformer): the visual backbone; the 1x1 projections of
its four levels to d_model ("input proj"); VGGish with its projection; EIM; the frame encoder; the pixel decoder;
the query decoder (MTM queries, frame and video level); the mask head. "glue" is what belongs to none of them
(the wrapper's reshapes, onnxruntime's layout reorders that could not be traced back).

ONNX nodes: the dynamo exporter records each node's module scope (`pkg.torch.onnx.name_scopes`, e.g.
['', 'model.visual', 'model.visual.block1.0', ...]); the TorchScript exporter puts it in the node name
('/model/visual/block1.0/attn/MatMul'). Both are read at export time, before the file's debug metadata is
stripped, into a map from node *and output* names to parts. onnxruntime's optimiser renames what it fuses
(`conv2d_2_nchwc`, `SkipLayerNormalization_token_3`), so `resolve_parts` walks the optimised graph (saved by the
profiler) and gives such a node the part of its own output name, else of the node that produced its input.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

import onnx

PARTS = ("backbone", "input proj", "VGGish", "EIM", "frame encoder", "pixel decoder", "query decoder", "head",
         "glue")
_MODULE_PARTS = {"visual": "backbone", "input_proj": "input proj", "audio": "VGGish", "audio_proj": "VGGish",
                 "fusion": "EIM", "encoder": "frame encoder", "pixel_decoder": "pixel decoder",
                 "decoder": "query decoder", "head": "head", "bcl_audio": "glue", "bcl_visual": "glue",
                 "audio_tagger": "glue"}
_SUFFIXES = ("_nchwc", "_quant", "_QuantizeLinear", "_DequantizeLinear", "_output_0", "_MatMul", "_Add",
             "_fused", "_token", "_pre_q", "_post_dq", "_q_to_dq", "_dq", "_q")


def module_part(qualified_name: str) -> str:
    """'visual.block1.0.attn' (a CCFormer submodule, optionally under 'model.') -> 'backbone'."""
    names = [n for n in qualified_name.split(".") if n]
    if names and names[0] == "model":
        names = names[1:]
    return _MODULE_PARTS.get(names[0], "glue") if names else "glue"


def _node_scope(node: onnx.NodeProto) -> str | None:
    for prop in node.metadata_props:
        if prop.key == "pkg.torch.onnx.name_scopes":
            scopes = ast.literal_eval(prop.value)
            return scopes[1] if len(scopes) > 2 else ""
    if node.name.startswith("/"):  # TorchScript: /model/visual/block1.0/...
        return ".".join(node.name.strip("/").split("/")[:-1])
    return None


def onnx_node_parts(graph: onnx.GraphProto) -> dict[str, str]:
    """Node names and output names of an exported (not yet stripped) graph -> part."""
    out: dict[str, str] = {}
    for node in graph.node:
        scope = _node_scope(node)
        if scope is None:
            continue
        part = module_part(scope)
        out[node.name] = part
        for name in node.output:
            out.setdefault(name, part)
    return out


def _lookup(name: str, known: dict[str, str]) -> str | None:
    if name in known:
        return known[name]
    for suffix in _SUFFIXES:
        if suffix in name:
            base = name[:name.index(suffix)]
            if base in known:
                return known[base]
    return None


def resolve_parts(nodes: Iterable[onnx.NodeProto], known: dict[str, str]) -> dict[str, str]:
    """Part of every node of an optimised or quantised graph (in topological order): by its name, its output
    names, else the part of the node that produced its first traceable input; 'glue' when nothing matches."""
    produced: dict[str, str] = {}
    out: dict[str, str] = {}
    for node in nodes:
        part = _lookup(node.name, known)
        for name in node.output:
            part = part or _lookup(name, known)
        for name in node.input:
            part = part or produced.get(name) or _lookup(name, known)
        part = part or "glue"
        out[node.name] = part
        for name in node.output:
            produced[name] = part
    return out
