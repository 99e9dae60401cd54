/**
 * Small ONNX graphs that break the model contract in one way each (built with the `onnx` package of the project's
 * Python, once per test file): wrong input names, a wrong rank, an AVSS model whose output has 3 channels (stated
 * in the graph, or symbolic so only the run shows it), an "avss" model naming no AVSS class (its masks cannot become objects or labels), and
 * metadata with std = 0 or a huge frames_per_clip.
 * Every graph is frames -> 1x1 Conv (zero weights) -> logits, at 32x32; `audio` is an unused input.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AVSS_CLASSES } from '../../../src-main/shared/avss-classes';
import { python } from './test-model';

export type ContractCase = 'wrong-inputs' | 'frames-rank-3' | 'avss-3-channels' | 'avss-symbolic-3-channels' | 'no-avss-class' | 'std-zero' | 'huge-window' | 'good';

const SCRIPT = String.raw`
import json, sys
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out_dir, classes_json = sys.argv[1], sys.argv[2]
avss = json.loads(classes_json)

def build(name, frames="frames", audio="audio", frames_shape=("T", 3, 32, 32), channels=71, out_c=None, classes=avss, **over):
    w = numpy_helper.from_array(np.zeros((channels, 3, 1, 1), np.float32), "w")
    inputs = [helper.make_tensor_value_info(frames, TensorProto.FLOAT, list(frames_shape)),
              helper.make_tensor_value_info(audio, TensorProto.FLOAT, ["T", 1, 96, 64])]
    if len(frames_shape) == 4:
        node = helper.make_node("Conv", [frames, "w"], ["logits"])
    else:
        node = helper.make_node("Identity", [frames], ["logits"])
    out_shape = ["T", out_c if out_c is not None else channels, 32, 32]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, out_shape)
    graph = helper.make_graph([node], name, inputs, [output], initializer=[w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    meta = {"task": "avss", "classes": json.dumps(classes), "input_size": "[32, 32]", "frames_per_clip": "10",
            "mean": "[0.485, 0.456, 0.406]", "std": "[0.229, 0.224, 0.225]", "sample_rate": "16000",
            "model": "contract-test", "variant": name, "version": "0", **over}
    for k, v in meta.items():
        model.metadata_props.append(onnx.StringStringEntryProto(key=k, value=v))
    onnx.save(model, f"{out_dir}/{name}.onnx")

build("good")
build("wrong-inputs", frames="video", audio="sound")
build("frames-rank-3", frames_shape=("T", 3, 32))
build("avss-3-channels", channels=3)
build("avss-symbolic-3-channels", channels=3, out_c="C")
build("no-avss-class", channels=3, classes=["background", "thing", "stuff"])
build("std-zero", std="[0, 0.224, 0.225]")
build("huge-window", frames_per_clip="100000")
`;

/** Writes every case into `dir`; returns the path of one by name. */
export function makeContractModels(dir: string): (name: ContractCase) => string {
  execFileSync(python, ['-c', SCRIPT, dir, JSON.stringify(AVSS_CLASSES)], { stdio: 'pipe' });
  return (name) => join(dir, `${name}.onnx`);
}
