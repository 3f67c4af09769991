package io.sparseretrain.core.prune.structured;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.ActivationLayer;
import io.sparseretrain.core.nn.AvgPool2d;
import io.sparseretrain.core.nn.BasicBlock;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Dropout;
import io.sparseretrain.core.nn.Flatten;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.MaxPool2d;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.Shape;
import io.sparseretrain.core.nn.StateBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the physically smaller model: the same layer types and names on the same backend, each
 * pruned layer narrower, and every parameter, mask and buffer copied from the kept slice of the
 * original. The kept channels of an activation flow forward until the next Linear/Conv consumes them:
 * its input columns (Linear), input channels (Conv) or, after a Flatten of an [h, w, c] map, the
 * columns c·h·w + p of every kept channel c (Flatten emits PyTorch's (c, h, w) order). BatchNorm keeps
 * the entries of the kept channels; activations, pooling and dropout only change shape.
 * Inside a residual block only conv1's filters are pruned (then bn1 and conv2's input channels
 * shrink): conv2, bn2 and the shortcut keep the block's width, which the residual add ties to the
 * block's input and to the next block; for the same reason a layer that feeds a block is not pruned.
 * Host round trip: this is a one-off rebuild, not part of a training step.
 */
public final class ModelSurgery {
    private ModelSurgery() {}

    /** Layers structured pruning can rebuild; anything else is refused by name. */
    static void requireSupported(Model model) {
        for (int i = 0; i < model.layers().size(); i++) {
            Layer l = model.layers().get(i);
            if (!(l instanceof Linear || l instanceof Conv2d || l instanceof BatchNorm || l instanceof ActivationLayer || l instanceof BasicBlock
                    || l instanceof Dropout || l instanceof MaxPool2d || l instanceof AvgPool2d || l instanceof Flatten)) {
                throw new IllegalArgumentException("model '" + model.name() + "': structured pruning cannot rebuild layer " + i + " ("
                        + l.getClass().getSimpleName() + ")");
            }
        }
    }

    /**
     * The Linear/Conv layers whose output neurons (filters) can be removed, in model order: every
     * top-level one whose output reaches another top-level Linear/Conv (through BN, activations,
     * pooling, dropout, flatten), and conv1 of every residual block. Not the classifier (its outputs
     * are the classes) and not a layer that feeds a residual block (the residual add ties its width).
     */
    public static List<Layer> prunableLayers(Model model) {
        requireSupported(model);
        List<Layer> ls = model.layers();
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < ls.size(); i++) {
            Layer l = ls.get(i);
            if (l instanceof BasicBlock blk) {
                out.add(blk.mainPath().get(0));
            } else if (l instanceof Linear || l instanceof Conv2d) {
                Layer c = consumer(ls, i);
                if (c != null && !(c instanceof BasicBlock)) out.add(l);
            }
        }
        return out;
    }

    /** Every Linear and Conv2d in model order, those inside residual blocks included (main path, then shortcut). */
    public static List<Layer> weightLayers(Model model) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (l instanceof BasicBlock blk) {
                for (Layer c : blk.children()) if (c instanceof Linear || c instanceof Conv2d) out.add(c);
            } else if (l instanceof Linear || l instanceof Conv2d) {
                out.add(l);
            }
        }
        return out;
    }

    /** The next Linear, Conv or residual block after layer i, or null (i is the classifier). */
    private static Layer consumer(List<Layer> ls, int i) {
        for (int j = i + 1; j < ls.size(); j++) {
            Layer l = ls.get(j);
            if (l instanceof Linear || l instanceof Conv2d || l instanceof BasicBlock) return l;
        }
        return null;
    }

    /**
     * The compacted model. {@code keptOut} maps a Linear/Conv layer name to its kept output indices
     * (ascending); layers not in the map keep every output. The caller owns (closes) the result.
     */
    public static Model compact(Model model, Map<String, int[]> keptOut) {
        List<String> names = prunableLayers(model).stream().map(Layer::name).toList();
        for (String k : keptOut.keySet()) {
            if (!names.contains(k)) {
                throw new IllegalArgumentException("model '" + model.name() + "': layer '" + k + "' cannot be pruned structurally (prunable: " + names
                        + "; the classifier, layers feeding a residual block and a block's conv2/shortcut keep their width)");
            }
        }
        Backend b = model.backend();
        Map<String, int[][]> slices = new HashMap<>();  // parameter/buffer name → {keep0, keep1}
        List<Layer> built = new ArrayList<>();
        Shape shape = model.inputShape();
        int[] live = null;  // kept channel (or feature) indices of the activation entering the next layer; null = all
        try {
            for (Layer l : model.layers()) {
                Layer n;
                if (l instanceof Linear lin) {
                    int[] keep = keptOut.get(lin.name());
                    int width = keep == null ? lin.outputShape().channels() : keep.length;
                    n = new Linear(b, lin.name(), shape, width, lin.bias() != null);
                    sliceWeightAndBias(slices, lin.parameters(), keep, live);
                    live = keep;
                } else if (l instanceof Conv2d conv) {
                    int[] keep = keptOut.get(conv.name());
                    int width = keep == null ? conv.outputShape().channels() : keep.length;
                    n = new Conv2d(b, conv.name(), shape, width, conv.kernel(), conv.stride(), conv.padding(), conv.bias() != null);
                    sliceWeightAndBias(slices, conv.parameters(), keep, live);
                    live = keep;
                } else if (l instanceof BatchNorm bn) {
                    BatchNorm nb = new BatchNorm(b, bn.name(), shape, bn.momentum(), bn.eps());
                    nb.setBatchesTracked(bn.batchesTracked());
                    for (Parameter p : bn.parameters()) slices.put(p.name(), new int[][] {live, null});
                    for (StateBuffer s : bn.buffers()) slices.put(s.name(), new int[][] {live, null});
                    n = nb;
                } else if (l instanceof BasicBlock blk) {
                    n = block(b, blk, shape, keptOut, live, slices);
                    live = null;
                } else if (l instanceof ActivationLayer a) {
                    n = new ActivationLayer(b, a.activation(), shape);
                } else if (l instanceof Dropout d) {
                    Dropout nd = new Dropout(b, shape, d.p(), d.seed());
                    nd.setCalls(d.calls());
                    n = nd;
                } else if (l instanceof MaxPool2d mp) {
                    n = new MaxPool2d(b, shape, mp.kernel(), mp.stride(), mp.padding());
                } else if (l instanceof AvgPool2d ap) {
                    // global pooling ends in a flat [c]: feature index = channel index, so live passes through
                    n = ap.outputShape().isMap() ? new AvgPool2d(b, shape, ap.kernel(), ap.stride(), ap.padding()) : AvgPool2d.global(b, shape);
                } else if (l instanceof Flatten f) {
                    if (live != null && f.inputShape().isMap()) live = flattenColumns(live, f.inputShape().rowsPerExample());
                    n = new Flatten(b, shape);
                } else {
                    throw new IllegalStateException("unreachable: " + l.getClass());
                }
                built.add(n);
                shape = n.outputShape();
            }
        } catch (RuntimeException e) {
            built.forEach(Layer::close);
            throw e;
        }
        Model out = new Model(model.name(), b, model.inputShape(), model.classes(), built);
        try {
            copyState(model, out, slices);
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** A block with conv1 narrowed to its kept filters: conv1 rows, bn1 entries and conv2 input channels sliced. */
    private static BasicBlock block(Backend b, BasicBlock blk, Shape shape, Map<String, int[]> keptOut, int[] live, Map<String, int[][]> slices) {
        if (live != null) {
            throw new IllegalStateException("block '" + blk.name() + "' would receive " + live.length + " of its input channels: the residual add "
                    + "needs all of them");
        }
        List<Layer> main = blk.mainPath();
        Conv2d conv1 = (Conv2d) main.get(0);
        BatchNorm bn1 = (BatchNorm) main.get(1);
        Conv2d conv2 = (Conv2d) main.get(3);
        int[] keep = keptOut.get(conv1.name());
        BasicBlock n = new BasicBlock(b, blk.name(), shape, blk.outputShape().channels(), keep == null ? blk.mid() : keep.length, blk.stride(),
                bn1.momentum(), bn1.eps());
        for (Parameter p : conv1.parameters()) slices.put(p.name(), new int[][] {keep, null});
        for (Parameter p : bn1.parameters()) slices.put(p.name(), new int[][] {keep, null});
        for (StateBuffer s : bn1.buffers()) slices.put(s.name(), new int[][] {keep, null});
        for (Parameter p : conv2.parameters()) {
            slices.put(p.name(), p.kind() == Parameter.Kind.WEIGHT ? new int[][] {null, keep} : new int[][] {null, null});
        }
        return n;
    }

    /** Columns of the flat (c, h, w) vector that belong to the kept channels: c·hw + p, p < hw, ascending. */
    static int[] flattenColumns(int[] channels, int hw) {
        int[] cols = new int[channels.length * hw];
        int j = 0;
        for (int c : channels) for (int p = 0; p < hw; p++) cols[j++] = c * hw + p;
        return cols;
    }

    /** W: rows by the layer's kept outputs, columns (Linear) / input channels (Conv) by the live inputs; bias by outputs. */
    private static void sliceWeightAndBias(Map<String, int[][]> slices, List<Parameter> ps, int[] keep, int[] live) {
        for (Parameter p : ps) {
            slices.put(p.name(), p.kind() == Parameter.Kind.WEIGHT ? new int[][] {keep, live} : new int[][] {keep, null});
        }
    }

    private static void copyState(Model from, Model to, Map<String, int[][]> slices) {
        Backend b = from.backend();
        for (Parameter p : from.parameters()) {
            Parameter q = to.parameter(p.name());
            int[] idx = indices(p.name(), p.value().shape(), slices, q.numel());
            b.copyFromHost(Gather.floats(b.copyToHostFloats(p.value()), idx), q.value());
            if (p.mask() != null) b.copyFromHost(Gather.bytes(b.copyToHostBytes(p.mask()), idx), q.ensureMask(b));
        }
        Map<String, StateBuffer> targets = new HashMap<>();
        for (StateBuffer s : to.buffers()) targets.put(s.name(), s);
        for (StateBuffer s : from.buffers()) {
            StateBuffer t = targets.get(s.name());
            if (t == null) throw new IllegalStateException("compacted model lacks buffer '" + s.name() + "'");
            int[] idx = indices(s.name(), s.value().shape(), slices, t.value().numel());
            b.copyFromHost(Gather.floats(b.copyToHostFloats(s.value()), idx), t.value());
        }
        Map<String, BatchNorm> norms = new HashMap<>();
        for (BatchNorm bn : to.batchNorms()) norms.put(bn.name(), bn);
        for (BatchNorm bn : from.batchNorms()) norms.get(bn.name()).setBatchesTracked(bn.batchesTracked());
    }

    private static int[] indices(String name, long[] shape, Map<String, int[][]> slices, long expected) {
        int[][] s = slices.getOrDefault(name, new int[][] {null, null});
        int[] idx = Gather.indices(shape, s[0], s[1]);
        if (idx.length != expected) {
            throw new IllegalStateException("'" + name + "': kept slice has " + idx.length + " entries, the compacted tensor " + expected);
        }
        return idx;
    }
}
