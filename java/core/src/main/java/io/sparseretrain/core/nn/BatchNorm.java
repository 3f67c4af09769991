package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import java.util.List;

/**
 * Batch normalisation per channel (torch.nn.BatchNorm1d on flat activations, BatchNorm2d on NHWC
 * maps — statistics over the B·H·W rows). Running statistics and {@code num_batches_tracked} are
 * checkpointed under PyTorch's names. Parameters are never masked.
 */
public final class BatchNorm extends BaseLayer {
    private final int c;
    private final float momentum;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor saveMean;
    private final Tensor saveInvStd;
    private long batchesTracked;
    private Tensor y;
    private Tensor dx;
    private Tensor x;

    public BatchNorm(Backend backend, String name, Shape in, float momentum, float eps) {
        super(backend, name, in, in);
        this.c = in.channels();
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = parameter("weight", Parameter.Kind.NORM_WEIGHT, c);
        this.beta = parameter("bias", Parameter.Kind.NORM_BIAS, c);
        this.runningMean = buffer("running_mean", DType.F32, c);
        this.runningVar = buffer("running_var", DType.F32, c);
        this.saveMean = buffer("saved_mean", DType.F32, c);
        this.saveInvStd = buffer("saved_invstd", DType.F32, c);
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        backend.copyFromHost(ones, gamma.value());
        backend.copyFromHost(ones, runningVar);
    }

    @Override
    protected void allocateActivations(int maxBatch) {
        y = activation("out", DType.F32, maxBatch * in.elements());
        dx = activation("grad_in", DType.F32, maxBatch * in.elements());
    }

    private long rows(int batch) {
        return (long) batch * in.rowsPerExample();
    }

    @Override
    public Tensor forward(Tensor input, int batch, boolean training) {
        requireAllocated(batch);
        x = input;
        if (training) {
            backend.nn().batchNormTrain(x, y, gamma.value(), beta.value(), runningMean, runningVar, saveMean, saveInvStd,
                    rows(batch), c, momentum, eps);
            batchesTracked++;
        } else {
            backend.nn().batchNormEval(x, y, gamma.value(), beta.value(), runningMean, runningVar, rows(batch), c, eps);
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy, int batch) {
        backend.nn().batchNormBackward(x, dy, gamma.value(), saveMean, saveInvStd, dx, gamma.grad(), beta.grad(), rows(batch), c);
        return dx;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public List<StateBuffer> buffers() {
        return List.of(new StateBuffer(qualified("running_mean"), runningMean), new StateBuffer(qualified("running_var"), runningVar));
    }

    /** PyTorch's {@code num_batches_tracked}. */
    public long batchesTracked() {
        return batchesTracked;
    }

    public void setBatchesTracked(long n) {
        batchesTracked = n;
    }

    /** Resets running statistics (mean 0, var 1) before a recalibration pass. */
    public void resetRunningStats() {
        float[] zeros = new float[c];
        float[] ones = new float[c];
        java.util.Arrays.fill(ones, 1f);
        backend.copyFromHost(zeros, runningMean);
        backend.copyFromHost(ones, runningVar);
        batchesTracked = 0;
    }

    public float momentum() {
        return momentum;
    }

    public float eps() {
        return eps;
    }
}
