package io.sparseretrain.core.ops;

import io.sparseretrain.core.Tensor;
import java.util.List;

/**
 * Mask operations. Masks are U8 tensors of the weight's shape (0 = pruned, 1 = kept); every op
 * only ever clears mask entries, never sets them: a pruned weight is never revived. Ops that fail
 * validation change nothing.
 */
public interface MaskOps {
    /** w ⊙ mask in place (F32 or BF16). */
    void apply(Tensor weight, Tensor mask);

    /** Nonzero entries of one tensor (F32, BF16 or U8; -0.0 counts as zero). */
    long countNonzero(Tensor x);

    /** Nonzero entries per tensor. */
    long[] countNonzero(List<Tensor> xs);

    /**
     * Global magnitude pruning: keeps exactly {@code keep} of the live entries across all tensors,
     * ranked by |w| (ties: lower tensor index, then lower element index). Masks are updated; the
     * weights are not (see {@link #apply}).
     */
    SelectReport pruneMagnitudeGlobal(List<Tensor> weights, List<Tensor> masks, long keep);

    /** Layer-wise magnitude pruning: tensor t keeps exactly keep[t] of its live entries. */
    void pruneMagnitudeLayerwise(List<Tensor> weights, List<Tensor> masks, long[] keep);

    /** Random pruning (baseline), identical on every backend for a seed. */
    SelectReport pruneRandomGlobal(List<Tensor> masks, long keep, long seed);

    void pruneRandomLayerwise(List<Tensor> masks, long[] keep, long seed);

    /** N:M along the reduction dimension (Linear [out,in]: along in; Conv: along Cin at each (kh,kw)). */
    void maskNM(Tensor weight, Tensor mask, int n, int m);

    /** Transposable 2:4: every 4x4 block (4 out rows x 4 along K) keeps 2 per row and 2 per column. */
    void maskTransposable24(Tensor weight, Tensor mask);

    /** Number of groups of M along K holding more than N nonzeros; 0 means x is N:M. */
    long countNMViolations(Tensor x, int n, int m);

    /** Export a 2:4 weight (kept positions from the mask) to the portable layout; caller closes. */
    Compressed24 compress24(Tensor weight, Tensor mask);

    /** Dense weight from the portable 2:4 layout; {@code out} has the dense shape. */
    void decompress24(Compressed24 compressed, Tensor out);
}
