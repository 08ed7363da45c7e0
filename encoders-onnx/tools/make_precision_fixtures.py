#!/usr/bin/env python3
"""Writes the fp16 and int8 fixtures of the encoders-onnx tests (src/test/resources/families/
tiny-clip-fp16 and tiny-clip-int8): the committed tiny CLIP (models/tiny-clip, fp32) converted
graph by graph with the onnx helper API. The Java tests compare what these graphs give with the
fp32 PyTorch references in models/tiny-clip-reference and hold them to the bounds stated in
encoders-onnx/README.md.

Why by hand: Debian 12 packages onnx 1.12 without onnxconverter-common (its float16 converter) and
has no onnxruntime for Python (its quantize_dynamic), so this script does what those two do, with
nothing but onnx and numpy:

- fp16 (as onnxconverter-common's convert_float_to_float16 with keep_io_types=False, and optimum's
  fp16 exports): every float32 initializer, Constant and Cast target becomes float16, and so do the
  float inputs and outputs (pixel_values in, text_embeds / image_embeds out). ONNX Runtime's CPU
  provider runs ops without a float16 kernel in float32 behind casts it inserts itself.
- int8 (as onnxruntime.quantization.quantize_dynamic): each MatMul with a constant weight becomes
  DynamicQuantizeLinear (activations to uint8, scale and zero point computed per call over the
  whole tensor) + MatMulInteger with int8 symmetric per-tensor weights, Cast, and a Mul by the two
  scales; each Conv becomes DynamicQuantizeLinear + ConvInteger with uint8 asymmetric per-tensor
  weights, Cast, Mul, and the bias added in float; the token-embedding table is stored as int8 and
  dequantized (DequantizeLinear) before its Gather. Because the activation scale is computed over
  the whole batch, an item's int8 embedding depends a little on the batch it is in, as with every
  dynamically quantized export.

Deterministic (no randomness at all); needs Debian's python3-onnx and python3-numpy; runs in a
second. Run from anywhere:  /usr/bin/python3 encoders-onnx/tools/make_precision_fixtures.py
"""
import hashlib
import json
import os
import shutil

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "..", "models", "tiny-clip")
OUT = os.path.join(HERE, "..", "src", "test", "resources", "families")
GRAPHS = ["text_model.onnx", "vision_model.onnx"]
SIDECARS = ["tokenizer.json", "preprocessor_config.json", "config.json"]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ----------------------------------------------------------------------------- fp16

def to_fp16(model):
    g = model.graph
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT:
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))
    for node in g.node:
        for a in node.attribute:
            if node.op_type == "Cast" and a.name == "to" and a.i == TensorProto.FLOAT:
                a.i = TensorProto.FLOAT16
            if a.type == onnx.AttributeProto.TENSOR and a.t.data_type == TensorProto.FLOAT:
                a.t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(a.t).astype(np.float16), a.t.name))
    for vi in list(g.input) + list(g.output) + list(g.value_info):
        if vi.type.tensor_type.elem_type == TensorProto.FLOAT:
            vi.type.tensor_type.elem_type = TensorProto.FLOAT16
    return model


# ----------------------------------------------------------------------------- int8

def quant_int8_symmetric(w):
    scale = float(np.abs(w).max()) / 127.0 or 1.0
    q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
    return q, np.float32(scale), np.int8(0)


def quant_uint8_asymmetric(w):
    lo, hi = min(0.0, float(w.min())), max(0.0, float(w.max()))
    scale = (hi - lo) / 255.0 or 1.0
    zp = int(np.clip(np.round(-lo / scale), 0, 255))
    q = np.clip(np.round(w / scale) + zp, 0, 255).astype(np.uint8)
    return q, np.float32(scale), np.uint8(zp)


def to_int8(model):
    g = model.graph
    inits = {i.name: i for i in g.initializer}
    new_nodes, new_inits, drop = [], [], set()

    def const(name, value):
        new_inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def quantized(name, quantizer):
        """Replaces initializer `name` by its quantized values, scale and zero point."""
        q, s, zp = quantizer(numpy_helper.to_array(inits[name]))
        drop.add(name)
        return const(name + "_quantized", q), const(name + "_scale", s), const(name + "_zero_point", zp)

    for node in g.node:
        n = node.name or node.output[0]
        if node.op_type == "MatMul" and node.input[1] in inits:
            wq, ws, wz = quantized(node.input[1], quant_int8_symmetric)
            a = node.input[0]
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [a], [n + "/a_q", n + "/a_s", n + "/a_zp"], name=n + "/quant"),
                helper.make_node("MatMulInteger", [n + "/a_q", wq, n + "/a_zp", wz], [n + "/y_i32"], name=n + "/matmul_int"),
                helper.make_node("Cast", [n + "/y_i32"], [n + "/y_f"], to=TensorProto.FLOAT, name=n + "/cast"),
                helper.make_node("Mul", [n + "/a_s", ws], [n + "/scale"], name=n + "/scale_mul"),
                helper.make_node("Mul", [n + "/y_f", n + "/scale"], [node.output[0]], name=n + "/rescale"),
            ]
        elif node.op_type == "Conv" and node.input[1] in inits:
            wq, ws, wz = quantized(node.input[1], quant_uint8_asymmetric)
            attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            y = n + "/y_scaled" if len(node.input) > 2 else node.output[0]
            new_nodes += [
                helper.make_node("DynamicQuantizeLinear", [node.input[0]], [n + "/x_q", n + "/x_s", n + "/x_zp"], name=n + "/quant"),
                helper.make_node("ConvInteger", [n + "/x_q", wq, n + "/x_zp", wz], [n + "/y_i32"], name=n + "/conv_int", **attrs),
                helper.make_node("Cast", [n + "/y_i32"], [n + "/y_f"], to=TensorProto.FLOAT, name=n + "/cast"),
                helper.make_node("Mul", [n + "/x_s", ws], [n + "/scale"], name=n + "/scale_mul"),
                helper.make_node("Mul", [n + "/y_f", n + "/scale"], [y], name=n + "/rescale"),
            ]
            if len(node.input) > 2:
                b = numpy_helper.to_array(inits[node.input[2]]).reshape(1, -1, 1, 1)
                drop.add(node.input[2])
                bias = const(node.input[2] + "_reshaped", b.astype(np.float32))
                new_nodes.append(helper.make_node("Add", [y, bias], [node.output[0]], name=n + "/bias"))
        elif node.op_type == "Gather" and node.input[0] in inits and inits[node.input[0]].data_type == TensorProto.FLOAT:
            wq, ws, wz = quantized(node.input[0], quant_int8_symmetric)
            new_nodes.append(helper.make_node("DequantizeLinear", [wq, ws, wz], [node.input[0]], name=n + "/dequant"))
            new_nodes.append(node)
        else:
            new_nodes.append(node)
    kept = [i for i in g.initializer if i.name not in drop]
    del g.initializer[:]
    g.initializer.extend(kept + new_inits)
    del g.node[:]
    g.node.extend(new_nodes)
    del g.value_info[:]   # shapes of the replaced tensors are re-inferred by the runtime
    return model


def write_sums(d):
    lines = []
    for root, _, files in os.walk(d):
        for name in files:
            rel = os.path.relpath(os.path.join(root, name), d)
            if rel == "SHA256SUMS":
                continue
            lines.append(sha256(os.path.join(root, name)) + "  " + rel)
    with open(os.path.join(d, "SHA256SUMS"), "w") as f:
        f.write("\n".join(sorted(lines, key=lambda l: l[66:])) + "\n")


def main():
    for variant, convert, what in [
        ("fp16", to_fp16, "float16 weights, constants, inputs and outputs (keep_io_types=False)"),
        ("int8", to_int8, "dynamic int8: MatMulInteger (uint8 activations x int8 weights) and ConvInteger "
                          "(uint8 x uint8), int8 embedding table, per-tensor scales"),
    ]:
        d = os.path.join(OUT, "tiny-clip-" + variant)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        sources = {}
        for name in GRAPHS:
            src = os.path.join(SRC, name)
            sources[name] = sha256(src)
            m = convert(onnx.load(src))
            m.producer_name = "tessera make_precision_fixtures.py"
            m.doc_string = "tessera/tiny-clip converted to " + variant
            onnx.checker.check_model(m)
            onnx.save(m, os.path.join(d, name))
        for name in SIDECARS:
            shutil.copyfile(os.path.join(SRC, name), os.path.join(d, name))
        with open(os.path.join(d, "conversion.json"), "w") as f:
            json.dump({"generated_by": "encoders-onnx/tools/make_precision_fixtures.py", "variant": variant,
                       "conversion": what, "source": "models/tiny-clip", "source_sha256": sources,
                       "reference": "models/tiny-clip-reference (fp32 PyTorch)"}, f, indent=1)
            f.write("\n")
        write_sums(d)
        print(variant, {n: os.path.getsize(os.path.join(d, n)) for n in GRAPHS})


if __name__ == "__main__":
    main()
