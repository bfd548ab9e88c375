#!/usr/bin/env python3
"""Convert MediaPipe's selfie segmentation .tflite models to ONNX.

    tflite2onnx.py model.tflite model.onnx

Needs only the PyPI packages `tflite`, `onnx` and `numpy` (models/fetch.sh installs pinned versions
into a private venv). Supports exactly the operators the selfie segmentation models use:
CONV_2D, DEPTHWISE_CONV_2D, HARD_SWISH, RELU, AVERAGE_POOL_2D, MEAN, LOGISTIC, ADD, MUL,
RESIZE_BILINEAR, DEQUANTIZE (fp16 constants), and MediaPipe's custom Convolution2DTransposeBias.
Anything else is an error, never a silent approximation.

Layout: TFLite is NHWC, ONNX convolutions are NCHW. The converted model keeps the TFLite model's
external interface, NHWC (input `input` [1,H,W,C] float32, output `mask` [1,H,W,1]), with one
Transpose at each boundary; every 4-D tensor inside is NCHW.

The output is deterministic: the same .tflite gives byte-identical .onnx (names come from the
.tflite, the IR version and opset are fixed, weights are converted exactly fp16 -> fp32), so
models/fetch.sh can pin its sha256.
"""
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
import tflite
from tflite.ActivationFunctionType import ActivationFunctionType as Act
from tflite.BuiltinOperator import BuiltinOperator as Op
from tflite.Padding import Padding
from tflite.TensorType import TensorType

OPSET = 17  # HardSwish needs 14; ReduceMean keeps its `axes` attribute up to 17
IR_VERSION = 8  # the IR version of opset 17; fixed so the bytes do not depend on the onnx release
OP_NAMES = {v: k for k, v in vars(Op).items() if not k.startswith("_")}
NP_TYPES = {TensorType.FLOAT32: np.float32, TensorType.FLOAT16: np.float16, TensorType.INT32: np.int32}
NHWC_TO_NCHW = (0, 3, 1, 2)
NCHW_TO_NHWC = (0, 2, 3, 1)
AXIS_NHWC_TO_NCHW = {0: 0, 1: 2, 2: 3, 3: 1}


class Converter:
    def __init__(self, buf):
        self.model = tflite.Model.GetRootAsModel(buf, 0)
        if self.model.SubgraphsLength() != 1:
            raise ValueError("expected one subgraph")
        self.g = self.model.Subgraphs(0)
        self.nodes = []
        self.inits = []
        self.consts = {}  # tflite tensor index -> numpy array (NHWC/TFLite layout)
        self.used_names = set()

    # ---- tensors -------------------------------------------------------------------------------
    def tensor(self, i):
        return self.g.Tensors(i)

    def shape(self, i):
        t = self.tensor(i)
        return [int(d) for d in t.ShapeAsNumpy()] if t.ShapeLength() else []

    def name(self, i):
        return f"t{i}_{self.tensor(i).Name().decode()}"

    def const(self, i):
        """The value of a constant tensor (its buffer, or a folded DEQUANTIZE), or None."""
        if i in self.consts:
            return self.consts[i]
        t = self.tensor(i)
        data = self.model.Buffers(t.Buffer()).DataAsNumpy()
        if isinstance(data, int) or data.size == 0:
            return None
        if t.Type() not in NP_TYPES:
            raise ValueError(f"tensor {self.name(i)}: unsupported constant type {t.Type()}")
        arr = np.frombuffer(data.tobytes(), dtype=np.dtype(NP_TYPES[t.Type()]).newbyteorder("<"))
        arr = arr.astype(NP_TYPES[t.Type()]).reshape(self.shape(i))
        self.consts[i] = arr
        return arr

    def add_init(self, name, arr):
        if name in self.used_names:
            raise ValueError(f"duplicate name {name}")
        self.used_names.add(name)
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(arr), name))
        return name

    def node(self, op_type, inputs, outputs, name, **attrs):
        self.nodes.append(helper.make_node(op_type, inputs, outputs, name=name, **attrs))

    def activation_input(self, i):
        """The ONNX name of a TFLite tensor that must be an activation (NCHW if 4-D)."""
        if self.const(i) is not None:
            raise ValueError(f"tensor {self.name(i)}: constant where an activation was expected")
        return self.name(i)

    def operand(self, i, label):
        """An elementwise operand: an activation, or a constant re-laid out to broadcast in NCHW."""
        c = self.const(i)
        if c is None:
            return self.name(i)
        c = c.astype(np.float32)
        if c.ndim == 4:
            c = c.transpose(NHWC_TO_NCHW)
        elif c.ndim == 1 and c.size > 1:
            c = c.reshape(-1, 1, 1)  # per-channel vector: C of NCHW
        elif c.ndim > 1:
            raise ValueError(f"{label}: unsupported constant operand shape {c.shape}")
        return self.add_init(f"{self.name(i)}_nchw", c)

    # ---- helpers -------------------------------------------------------------------------------
    @staticmethod
    def same_pads(in_hw, kernel_hw, stride_hw, dilation_hw=(1, 1)):
        """TFLite/TensorFlow SAME padding: the extra pixel, if any, goes at the end."""
        begins, ends = [], []
        for n, k, s, d in zip(in_hw, kernel_hw, stride_hw, dilation_hw):
            out = -(-n // s)
            total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
            begins.append(total // 2)
            ends.append(total - total // 2)
        return begins + ends

    def pads(self, padding, in_hw, kernel_hw, stride_hw, dilation_hw=(1, 1)):
        if padding == Padding.SAME:
            return self.same_pads(in_hw, kernel_hw, stride_hw, dilation_hw)
        if padding == Padding.VALID:
            return [0, 0, 0, 0]
        raise ValueError(f"unsupported padding {padding}")

    def pre_activation(self, act, out):
        """The name an op writes before its fused activation (the output itself when none)."""
        return out if act == Act.NONE else f"{out}_pre"

    def fused(self, act, pre, out, label):
        """Emit the fused activation `act` from `pre` to `out`."""
        if act == Act.NONE:
            return
        if act == Act.RELU:
            self.node("Relu", [pre], [out], f"{label}_relu")
        elif act == Act.RELU6:
            self.node("Clip", [pre, self.scalar(0.0), self.scalar(6.0)], [out], f"{label}_relu6")
        elif act == Act.RELU_N1_TO_1:
            self.node("Clip", [pre, self.scalar(-1.0), self.scalar(1.0)], [out], f"{label}_relu1")
        elif act == Act.TANH:
            self.node("Tanh", [pre], [out], f"{label}_tanh")
        else:
            raise ValueError(f"{label}: unsupported fused activation {act}")

    def scalar(self, v):
        name = f"scalar_{v:g}"
        if name not in self.used_names:
            self.add_init(name, np.array(v, dtype=np.float32))
        return name

    def opts(self, op, cls):
        tab = op.BuiltinOptions()
        o = cls()
        o.Init(tab.Bytes, tab.Pos)
        return o

    # ---- operators -----------------------------------------------------------------------------
    def convert(self):
        g = self.g
        if g.InputsLength() != 1 or g.OutputsLength() != 1:
            raise ValueError("expected one input and one output")
        tin, tout = g.Inputs(0), g.Outputs(0)
        in_shape, out_shape = self.shape(tin), self.shape(tout)
        self.node("Transpose", ["input"], [self.name(tin)], "input_to_nchw", perm=list(NHWC_TO_NCHW))
        for k in range(g.OperatorsLength()):
            op = g.Operators(k)
            code = self.model.OperatorCodes(op.OpcodeIndex())
            builtin = max(code.BuiltinCode(), code.DeprecatedBuiltinCode())
            ins = [op.Inputs(j) for j in range(op.InputsLength())]
            outs = [op.Outputs(j) for j in range(op.OutputsLength())]
            if builtin == Op.CUSTOM:
                kind = code.CustomCode().decode()
            else:
                kind = OP_NAMES.get(builtin, str(builtin))
            label = f"op{k}_{kind}"
            handler = getattr(self, "op_" + kind, None)
            if handler is None:
                raise ValueError(f"{label}: unsupported operator {kind}")
            handler(op, ins, outs, label)
        self.node("Transpose", [self.name(tout)], ["mask"], "output_to_nhwc", perm=list(NCHW_TO_NHWC))
        graph = helper.make_graph(
            self.nodes,
            "selfie_segmentation",
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, in_shape)],
            [helper.make_tensor_value_info("mask", TensorProto.FLOAT, out_shape)],
            self.inits,
        )
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", OPSET)],
            producer_name="scrim models/tflite2onnx.py",
            producer_version="1",
            ir_version=IR_VERSION,
        )
        desc = self.model.Description()
        model.doc_string = "converted from " + (desc.decode() if desc else "a .tflite model")
        onnx.checker.check_model(model, full_check=True)
        return model

    def op_DEQUANTIZE(self, op, ins, outs, label):
        c = self.const(ins[0])
        if c is None or c.dtype != np.float16:
            raise ValueError(f"{label}: only DEQUANTIZE of fp16 constants is supported")
        self.consts[outs[0]] = c.astype(np.float32)  # exact; folded, emits no node

    def conv_common(self, op, ins, outs, label, depthwise):
        from tflite.Conv2DOptions import Conv2DOptions
        from tflite.DepthwiseConv2DOptions import DepthwiseConv2DOptions

        o = self.opts(op, DepthwiseConv2DOptions if depthwise else Conv2DOptions)
        w = self.const(ins[1])
        if w is None:
            raise ValueError(f"{label}: weights must be constant")
        n, h, wd, cin = self.shape(ins[0])
        kh, kw = w.shape[1], w.shape[2]
        if depthwise:  # [1, KH, KW, Cin*M] -> [Cin*M, 1, KH, KW], group = Cin
            weight = w.transpose(3, 0, 1, 2)
            group = cin
            if o.DepthMultiplier() not in (0, 1) and weight.shape[0] != cin * o.DepthMultiplier():
                raise ValueError(f"{label}: inconsistent depth multiplier")
        else:  # [Cout, KH, KW, Cin] -> [Cout, Cin, KH, KW]
            weight = w.transpose(0, 3, 1, 2)
            group = 1
        stride = (o.StrideH(), o.StrideW())
        dil = (o.DilationHFactor() or 1, o.DilationWFactor() or 1)
        inputs = [self.activation_input(ins[0]), self.add_init(f"{self.name(ins[1])}_oihw", weight.astype(np.float32))]
        if len(ins) > 2 and ins[2] >= 0:
            b = self.const(ins[2])
            if b is None:
                raise ValueError(f"{label}: bias must be constant")
            inputs.append(self.add_init(f"{self.name(ins[2])}_bias", b.astype(np.float32)))
        pre = self.pre_activation(o.FusedActivationFunction(), self.name(outs[0]))
        self.node(
            "Conv", inputs, [pre], label,
            kernel_shape=[kh, kw], strides=list(stride), dilations=list(dil), group=group,
            pads=self.pads(o.Padding(), (h, wd), (kh, kw), stride, dil),
        )
        self.fused(o.FusedActivationFunction(), pre, self.name(outs[0]), label)

    def op_CONV_2D(self, op, ins, outs, label):
        self.conv_common(op, ins, outs, label, depthwise=False)

    def op_DEPTHWISE_CONV_2D(self, op, ins, outs, label):
        self.conv_common(op, ins, outs, label, depthwise=True)

    def op_Convolution2DTransposeBias(self, op, ins, outs, label):
        # MediaPipe's custom op: its options are TfLiteTransposeConvParams {padding, stride_w,
        # stride_h} as three little-endian int32 (TfLitePadding: 1 = SAME, 2 = VALID).
        opts = bytes(op.CustomOptionsAsNumpy())
        if len(opts) != 12:
            raise ValueError(f"{label}: unexpected custom options {opts.hex()}")
        padding, sw, sh = struct.unpack("<3i", opts)
        w, b = self.const(ins[1]), self.const(ins[2])
        if w is None or b is None:
            raise ValueError(f"{label}: weights and bias must be constant")
        _, h, wd, _ = self.shape(ins[0])
        _, oh, ow, _ = self.shape(outs[0])
        kh, kw = w.shape[1], w.shape[2]
        pads = []
        for n, k, s, o_ in ((h, kh, sh, oh), (wd, kw, sw, ow)):
            total = (n - 1) * s + k - o_
            if padding == 2:  # VALID: the output is the full transposed convolution
                if total != 0:
                    raise ValueError(f"{label}: VALID output size mismatch")
            elif padding != 1:
                raise ValueError(f"{label}: unsupported padding {padding}")
            if total < 0:
                raise ValueError(f"{label}: output larger than the transposed convolution")
            pads.append(total)
        begins = [t // 2 for t in pads]
        ends = [t - t // 2 for t in pads]
        weight = w.transpose(3, 0, 1, 2)  # [Cout, KH, KW, Cin] -> [Cin, Cout, KH, KW]
        self.node(
            "ConvTranspose",
            [self.activation_input(ins[0]),
             self.add_init(f"{self.name(ins[1])}_iohw", weight.astype(np.float32)),
             self.add_init(f"{self.name(ins[2])}_bias", b.astype(np.float32))],
            [self.name(outs[0])], label,
            kernel_shape=[kh, kw], strides=[sh, sw], pads=begins + ends,
        )

    def op_AVERAGE_POOL_2D(self, op, ins, outs, label):
        from tflite.Pool2DOptions import Pool2DOptions

        o = self.opts(op, Pool2DOptions)
        _, h, w, _ = self.shape(ins[0])
        k = (o.FilterHeight(), o.FilterWidth())
        s = (o.StrideH(), o.StrideW())
        pre = self.pre_activation(o.FusedActivationFunction(), self.name(outs[0]))
        # TFLite averages over the valid pixels only, like count_include_pad=0
        self.node("AveragePool", [self.activation_input(ins[0])], [pre], label,
                  kernel_shape=list(k), strides=list(s), pads=self.pads(o.Padding(), (h, w), k, s),
                  count_include_pad=0)
        self.fused(o.FusedActivationFunction(), pre, self.name(outs[0]), label)

    def op_MEAN(self, op, ins, outs, label):
        from tflite.ReducerOptions import ReducerOptions

        o = self.opts(op, ReducerOptions)
        axes = self.const(ins[1])
        if axes is None or len(self.shape(ins[0])) != 4:
            raise ValueError(f"{label}: MEAN needs constant axes and a 4-D input")
        axes = sorted({int(a) % 4 for a in axes.reshape(-1)})
        keep = bool(o.KeepDims())
        if not keep and axes != [1, 2]:
            # [1, 2] without keep_dims leaves [N, C] in both layouts; other cases would need a
            # layout change this converter does not track
            raise ValueError(f"{label}: MEAN without keep_dims over axes {axes} is not supported")
        self.node("ReduceMean", [self.activation_input(ins[0])], [self.name(outs[0])], label,
                  axes=sorted(AXIS_NHWC_TO_NCHW[a] for a in axes), keepdims=int(keep))

    def op_RESIZE_BILINEAR(self, op, ins, outs, label):
        from tflite.ResizeBilinearOptions import ResizeBilinearOptions

        o = self.opts(op, ResizeBilinearOptions)
        size = self.const(ins[1])
        if size is None:
            raise ValueError(f"{label}: size must be constant")
        n, _, _, c = self.shape(ins[0])
        if o.AlignCorners() and o.HalfPixelCenters():
            raise ValueError(f"{label}: align_corners with half_pixel_centers")
        if o.AlignCorners():
            mode = "align_corners"
        elif o.HalfPixelCenters():
            mode = "half_pixel"  # TFLite clamps the source coordinate at 0, as ONNX Runtime does
        else:
            mode = "asymmetric"
        sizes = self.add_init(f"{self.name(outs[0])}_sizes",
                              np.array([n, c, int(size[0]), int(size[1])], dtype=np.int64))
        self.node("Resize", [self.activation_input(ins[0]), "", "", sizes], [self.name(outs[0])], label,
                  mode="linear", coordinate_transformation_mode=mode)

    def binary(self, op, ins, outs, label, onnx_op, opts_cls):
        o = self.opts(op, opts_cls) if op.BuiltinOptions() is not None else None
        act = o.FusedActivationFunction() if o is not None else Act.NONE
        pre = self.pre_activation(act, self.name(outs[0]))
        self.node(onnx_op, [self.operand(ins[0], label), self.operand(ins[1], label)], [pre], label)
        self.fused(act, pre, self.name(outs[0]), label)

    def op_ADD(self, op, ins, outs, label):
        from tflite.AddOptions import AddOptions

        self.binary(op, ins, outs, label, "Add", AddOptions)

    def op_MUL(self, op, ins, outs, label):
        from tflite.MulOptions import MulOptions

        self.binary(op, ins, outs, label, "Mul", MulOptions)

    def unary(self, ins, outs, label, onnx_op):
        self.node(onnx_op, [self.activation_input(ins[0])], [self.name(outs[0])], label)

    def op_HARD_SWISH(self, op, ins, outs, label):
        self.unary(ins, outs, label, "HardSwish")  # x * relu6(x + 3) / 6

    def op_RELU(self, op, ins, outs, label):
        self.unary(ins, outs, label, "Relu")

    def op_LOGISTIC(self, op, ins, outs, label):
        self.unary(ins, outs, label, "Sigmoid")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    src, dst = argv[1], argv[2]
    with open(src, "rb") as f:
        model = Converter(f.read()).convert()
    data = model.SerializeToString(deterministic=True)
    with open(dst + ".part", "wb") as f:
        f.write(data)
    import os

    os.replace(dst + ".part", dst)
    ops = sorted({n.op_type for n in model.graph.node})
    print(f"{dst}: {len(model.graph.node)} nodes ({', '.join(ops)}), onnx.checker ok", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
