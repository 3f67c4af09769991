package io.sparseretrain.core.nn;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A model back to the YAML of models/*.yaml, so a structurally pruned (narrower) model can be built
 * again: {@code ModelSpec.parse(toYaml(m)).build(...)} has the same layers, names and widths as
 * {@code m}, and its checkpoint loads into it. Consecutive residual blocks named {@code stage.0},
 * {@code stage.1}, … become one {@code resnet_stage} with conv1's width per block in {@code mid}.
 */
public final class ModelSpecWriter {
    private ModelSpecWriter() {}

    /** @param comment lines written as YAML comments at the top (provenance); may be empty */
    public static String toYaml(Model m, List<String> comment) {
        StringBuilder sb = new StringBuilder();
        for (String c : comment) sb.append("# ").append(c.replace('\n', ' ')).append('\n');
        sb.append("name: ").append(m.name()).append('\n');
        Shape in = m.inputShape();
        sb.append("input: ").append(in.isMap() ? "[" + in.height() + ", " + in.width() + ", " + in.channels() + "]" : "[" + in.channels() + "]")
                .append('\n');
        sb.append("classes: ").append(m.classes()).append('\n');
        sb.append("layers:\n");
        List<Layer> ls = m.layers();
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            if (l instanceof BasicBlock first) {
                List<BasicBlock> stage = stage(m, ls, i);
                i += stage.size() - 1;
                List<String> mids = new ArrayList<>();
                for (BasicBlock blk : stage) mids.add(Integer.toString(blk.mid()));
                String name = first.name().substring(0, first.name().lastIndexOf('.'));
                sb.append("  - {type: resnet_stage, name: ").append(name).append(", blocks: ").append(stage.size()).append(", out: ")
                        .append(first.outputShape().channels()).append(", stride: ").append(first.stride()).append(", mid: [")
                        .append(String.join(", ", mids)).append("]}\n");
                continue;
            }
            sb.append("  - ").append(entry(m, i, l)).append('\n');
        }
        return sb.toString();
    }

    private static String entry(Model m, int i, Layer l) {
        if (l instanceof Linear lin) {
            return "{type: linear, name: " + lin.name() + ", out: " + lin.outputShape().channels() + ", bias: " + (lin.bias() != null) + "}";
        }
        if (l instanceof Conv2d c) {
            return "{type: conv, name: " + c.name() + ", out: " + c.outputShape().channels() + ", kernel: " + c.kernel() + ", stride: " + c.stride()
                    + ", padding: " + c.padding() + ", bias: " + (c.bias() != null) + "}";
        }
        if (l instanceof BatchNorm bn) return "{type: batchnorm, name: " + bn.name() + ", momentum: " + plain(bn.momentum()) + ", eps: " + plain(bn.eps()) + "}";
        if (l instanceof ActivationLayer a) return a.activation().name().toLowerCase(Locale.ROOT);
        if (l instanceof MaxPool2d p) return "{type: maxpool, kernel: " + p.kernel() + ", stride: " + p.stride() + ", padding: " + p.padding() + "}";
        if (l instanceof AvgPool2d p) {
            return p.outputShape().isMap() ? "{type: avgpool, kernel: " + p.kernel() + ", stride: " + p.stride() + ", padding: " + p.padding() + "}"
                    : "global_avgpool";
        }
        if (l instanceof Flatten) return "flatten";
        if (l instanceof Dropout d) return "{type: dropout, p: " + plain(d.p()) + "}";
        throw new IllegalArgumentException("model '" + m.name() + "': layer " + i + " (" + l.getClass().getSimpleName() + ") has no model-file form");
    }

    /** The blocks of one stage from index i: names prefix.0, prefix.1, … with the stride on block 0 only. */
    private static List<BasicBlock> stage(Model m, List<Layer> ls, int i) {
        BasicBlock first = (BasicBlock) ls.get(i);
        int dot = first.name().lastIndexOf('.');
        if (dot < 0 || !first.name().substring(dot + 1).equals("0")) {
            throw new IllegalArgumentException("model '" + m.name() + "': residual block '" + first.name() + "' does not start a stage named <stage>.0");
        }
        String prefix = first.name().substring(0, dot + 1);
        List<BasicBlock> out = new ArrayList<>();
        for (int j = i; j < ls.size() && ls.get(j) instanceof BasicBlock b && b.name().equals(prefix + (j - i)); j++) out.add(b);
        for (BasicBlock b : out) {
            if ((b != first && b.stride() != 1) || b.outputShape().channels() != first.outputShape().channels()) {
                throw new IllegalArgumentException("model '" + m.name() + "': block '" + b.name() + "' does not fit a resnet_stage (stride "
                        + b.stride() + ", " + b.outputShape().channels() + " channels)");
            }
            for (Layer c : b.children()) {
                if (c instanceof BatchNorm bn && (bn.momentum() != 0.1f || bn.eps() != 1e-5f)) {
                    throw new IllegalArgumentException("model '" + m.name() + "': '" + bn.name() + "' has momentum " + bn.momentum() + ", eps "
                            + bn.eps() + "; resnet_stage builds 0.1 and 1e-5");
                }
            }
        }
        return out;
    }

    private static String plain(float v) {
        return new BigDecimal(Float.toString(v)).toPlainString();
    }
}
