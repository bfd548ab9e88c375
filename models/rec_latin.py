#!/usr/bin/env python3
"""Cut PP-OCRv6's recogniser down to the characters of Latin-script screens.

    rec_latin.py rec.onnx out.onnx ppocrv6_tiny_dict.txt

The tiny recogniser scores 6906 classes at every time step (blank, 6904 dictionary lines,
space); all but a few hundred are CJK. Its last layer (MatMul 80 x 6906, Add, Softmax) is
then most of the work a screen line costs, and a CJK look-alike can win a step inside a token
(`Rm∠2pLK` for `RmZ2pLK`), which breaks the pattern that would have caught it. This keeps the
columns of that layer for the blank, the space and the dictionary's Latin (U+0000-024F), Greek
(U+0370-03FF), general punctuation (U+2000-206F), currency (U+20A0-20CF) and letter-like
(U+2100-214F) characters, and records in the model's metadata (`scrim.classes`, comma-separated)
which original class each output class is, so scrim keeps reading the full dictionary. Nothing
else in the graph changes. Needs only `onnx` and `numpy`; the output is deterministic, so
models/fetch.sh pins its sha256.
"""
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

KEPT_RANGES = [(0x0000, 0x024F), (0x0370, 0x03FF), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x214F)]
CLASSES = 6906


def kept(ch):
    return any(lo <= ord(ch) <= hi for lo, hi in KEPT_RANGES)


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    model = onnx.load(argv[1])
    with open(argv[3], encoding="utf-8") as f:
        dictionary = [line.rstrip("\n")[:1] or " " for line in f]
    if len(dictionary) + 2 != CLASSES:
        sys.exit(f"{argv[3]}: {len(dictionary)} lines, expected {CLASSES - 2}")
    # class 0 is the CTC blank, class i the dictionary's line i-1, the last class the space
    classes = [0] + [i + 1 for i, ch in enumerate(dictionary) if kept(ch)] + [CLASSES - 1]

    g = model.graph
    nodes = list(g.node)
    softmax = nodes[-1]
    if softmax.op_type != "Softmax" or [o.name for o in g.output] != [softmax.output[0]]:
        sys.exit(f"{argv[1]}: not the expected PP-OCR recogniser (no final Softmax)")
    # walk back from the Softmax through Identity nodes to the Add (bias) and MatMul (weights)
    by_output = {o: n for n in nodes for o in n.output}
    weights = {t.name: t for t in g.initializer}

    def producer(name):
        n = by_output[name]
        while n.op_type == "Identity":
            n = by_output[n.input[0]]
        return n

    add = producer(softmax.input[0])
    matmul = producer(add.input[0])
    if add.op_type != "Add" or matmul.op_type != "MatMul":
        sys.exit(f"{argv[1]}: not the expected PP-OCR recogniser (no MatMul + Add before the Softmax)")
    w, b = weights[matmul.input[1]], weights[add.input[1]]
    wa, ba = numpy_helper.to_array(w), numpy_helper.to_array(b)
    if wa.shape[1] != CLASSES or ba.shape != (CLASSES,):
        sys.exit(f"{argv[1]}: classifier is {wa.shape}, expected (*, {CLASSES})")
    idx = np.array(classes)
    w.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(wa[:, idx]), w.name))
    b.CopyFrom(numpy_helper.from_array(np.ascontiguousarray(ba[idx]), b.name))

    g.output[0].type.tensor_type.shape.dim[2].dim_value = len(classes)
    del g.value_info[:]  # the inferred shapes still say 6906
    meta = model.metadata_props.add()
    meta.key = "scrim.classes"
    meta.value = ",".join(map(str, classes))
    onnx.checker.check_model(model, full_check=True)
    with open(argv[2] + ".part", "wb") as f:
        f.write(model.SerializeToString(deterministic=True))
    os.replace(argv[2] + ".part", argv[2])
    print(f"{argv[2]}: {len(classes)} of {CLASSES} classes kept, onnx.checker ok", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
