package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.ops.Activation;
import java.util.ArrayList;
import java.util.List;

/**
 * ResNet basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)), 3×3 convolutions without
 * bias; the shortcut is the identity, or a 1×1 convolution + batch norm when the stride or the
 * channel count changes ({@code shortcut.0}, {@code shortcut.1} in the state_dict). conv1 has
 * {@code mid} output channels ({@code channels} unless structured pruning narrowed the block
 * inside); conv2, bn2 and the shortcut have {@code channels}, the width the residual add ties.
 */
public final class BasicBlock extends BaseLayer {
    private final List<Layer> main = new ArrayList<>();
    private final List<Layer> shortcut = new ArrayList<>();
    private final ActivationLayer outRelu;
    private final int mid;
    private final int stride;
    private Tensor sum;
    private Tensor dx;

    public BasicBlock(Backend backend, String name, Shape in, int channels, int stride, float bnMomentum, float bnEps) {
        this(backend, name, in, channels, channels, stride, bnMomentum, bnEps);
    }

    public BasicBlock(Backend backend, String name, Shape in, int channels, int mid, int stride, float bnMomentum, float bnEps) {
        super(backend, name, in, Shape.map((in.height() + 2 - 3) / stride + 1, (in.width() + 2 - 3) / stride + 1, channels));
        if (mid <= 0) throw new IllegalArgumentException("block '" + name + "': inner width " + mid + " must be positive");
        this.mid = mid;
        this.stride = stride;
        Conv2d conv1 = new Conv2d(backend, qualified("conv1"), in, mid, 3, stride, 1, false);
        main.add(conv1);
        main.add(new BatchNorm(backend, qualified("bn1"), conv1.outputShape(), bnMomentum, bnEps));
        main.add(new ActivationLayer(backend, Activation.RELU, conv1.outputShape()));
        Conv2d conv2 = new Conv2d(backend, qualified("conv2"), conv1.outputShape(), channels, 3, 1, 1, false);
        main.add(conv2);
        main.add(new BatchNorm(backend, qualified("bn2"), conv2.outputShape(), bnMomentum, bnEps));
        if (stride != 1 || in.channels() != channels) {
            Conv2d proj = new Conv2d(backend, qualified("shortcut.0"), in, channels, 1, stride, 0, false);
            shortcut.add(proj);
            shortcut.add(new BatchNorm(backend, qualified("shortcut.1"), proj.outputShape(), bnMomentum, bnEps));
        }
        outRelu = new ActivationLayer(backend, Activation.RELU, out);
        if (!conv2.outputShape().equals(out)) throw new IllegalStateException("block '" + name + "' shape mismatch");
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        for (Layer l : main) l.allocate(maxBatch);
        for (Layer l : shortcut) l.allocate(maxBatch);
        outRelu.allocate(maxBatch);
        sum = activation("sum", DType.F32, maxBatch * out.elements());
        dx = activation("grad_in", DType.F32, maxBatch * in.elements());
    }

    @Override
    public Tensor forward(Tensor x, int batch, boolean training) {
        requireAllocated(batch);
        Tensor h = x;
        for (Layer l : main) h = l.forward(h, batch, training);
        Tensor s = x;
        for (Layer l : shortcut) s = l.forward(s, batch, training);
        long n = batch * out.elements();
        backend.nn().axpby(1f, h, 0f, sum, n);  // sum = main
        backend.nn().axpby(1f, s, 1f, sum, n);  // sum += shortcut
        return outRelu.forward(sum, batch, training);
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        Tensor dsum = outRelu.backward(dy, batch);
        Tensor g = dsum;
        for (int i = main.size() - 1; i >= 0; i--) g = main.get(i).backward(g, batch);
        long n = batch * in.elements();
        backend.nn().axpby(1f, g, 0f, dx, n);
        Tensor gs = dsum;
        for (int i = shortcut.size() - 1; i >= 0; i--) gs = shortcut.get(i).backward(gs, batch);
        backend.nn().axpby(1f, gs, 1f, dx, n);  // identity shortcut: gs is dsum itself
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (Layer l : main) ps.addAll(l.parameters());
        for (Layer l : shortcut) ps.addAll(l.parameters());
        return ps;
    }

    @Override
    public List<StateBuffer> buffers() {
        List<StateBuffer> bs = new ArrayList<>();
        for (Layer l : main) bs.addAll(l.buffers());
        for (Layer l : shortcut) bs.addAll(l.buffers());
        return bs;
    }

    /** Output channels of conv1 (= bn1's width and conv2's input channels). */
    public int mid() {
        return mid;
    }

    public int stride() {
        return stride;
    }

    /** The main path: conv1, bn1, relu, conv2, bn2. */
    public List<Layer> mainPath() {
        return List.copyOf(main);
    }

    /** The projection shortcut (1×1 conv, batch norm), or empty for the identity. */
    public List<Layer> shortcutPath() {
        return List.copyOf(shortcut);
    }

    /** The layers inside, in state_dict order (main path, then shortcut). */
    public List<Layer> children() {
        List<Layer> all = new ArrayList<>(main);
        all.addAll(shortcut);
        return all;
    }

    @Override
    public long denseMultiplyAdds() {
        return children().stream().mapToLong(Layer::denseMultiplyAdds).sum();
    }

    @Override
    public long sparseMultiplyAdds() {
        return children().stream().mapToLong(Layer::sparseMultiplyAdds).sum();
    }

    @Override
    public void close() {
        for (Layer l : main) l.close();
        for (Layer l : shortcut) l.close();
        outRelu.close();
        super.close();
    }
}
