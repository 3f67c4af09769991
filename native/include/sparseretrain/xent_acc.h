/*
 * sparseretrain/xent_acc.h — accumulating softmax cross-entropy: loss sum and correct count added
 * into a struct in the context's memory (capturable).
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_XENT_ACC_H
#define SPARSERETRAIN_XENT_ACC_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ accumulating softmax cross-entropy
 * sr_softmax_xent returns loss and accuracy to the host, a synchronization that cannot be captured in a
 * CUDA Graph. sr_softmax_xent_acc computes the same rows with the same formulas (common/pointwise.h) and
 * ADDS the batch's loss sum and correct count into an accumulator in the context's memory (device memory
 * on CUDA, host memory on host contexts); it is stream-ordered, allocates nothing, returns nothing to
 * the host and is capturable. Zero the accumulator with sr_memset_zero (e.g. once per epoch or per
 * trainSteps call), run any number of steps, then read it back with sr_memcpy(DEVICE_TO_HOST) of the
 * whole struct after sr_context_synchronize (not capturable; that is the one sync).
 * Differences from sr_softmax_xent, since a running kernel cannot return an error:
 *  - a row whose label is outside [0, classes) ORs SR_XENT_ACC_BAD_LABEL into acc->error, and a row
 *    with a NaN / Inf logit ORs SR_XENT_ACC_NONFINITE (the label is checked first, as there); the flags
 *    are sticky until the caller zeroes the struct. Such a row adds nothing to loss_sum, correct or rows
 *    and its dlogits row is written as zeros (it contributes no gradient; the other rows train as usual).
 *    A caller that reads error != 0 must treat the steps since the last zeroing as failed (the
 *    uncaptured op would have returned SR_ERR_OUT_OF_RANGE / SR_ERR_NONFINITE before writing dlogits).
 *  - the valid rows' dlogits are written even when another row of the batch is bad.
 * Same as there: dlogits may be NULL (no gradient); dlogits of valid rows are bit-identical to
 * sr_softmax_xent's on the same device. Host: loss_sum += the batch's sum in row order, so N calls
 * accumulate exactly what N sr_softmax_xent calls summed in double by the caller give. CUDA: one double
 * atomicAdd per row, in no fixed order: loss_sum may differ in the last bits between runs on a GPU;
 * against the host reference (expf and the order of a row's sum differ) dlogits agree within
 * 1e-5 relative + 1e-6 * grad_scale and loss_sum within 1e-6 * (|loss_sum| + rows), as
 * tests/cuda/xent_acc_cases.h checks; correct, rows and error are exact. acc must be 8-byte aligned.
 */
enum { SR_XENT_ACC_BAD_LABEL = 1, SR_XENT_ACC_NONFINITE = 2 };

typedef struct sr_xent_acc {
    double loss_sum;  /* sum over valid rows of -log softmax(logits)[label] */
    int64_t correct;  /* valid rows whose first maximal logit is the label */
    int64_t rows;     /* valid rows accumulated (the accuracy denominator) */
    int32_t error;    /* sticky OR of SR_XENT_ACC_* flags; 0 = every row was valid */
    int32_t reserved; /* 0; keeps the struct 32 bytes */
} sr_xent_acc;

/* Argument checks as sr_softmax_xent (rows >= 0, classes > 0, finite grad_scale, non-null pointers when
 * rows > 0) plus acc non-null and aligned; rows == 0 is a no-op. */
sr_status sr_softmax_xent_acc(sr_context* ctx, const float* logits, const int32_t* labels, int64_t rows,
                              int64_t classes, float grad_scale, float* dlogits, sr_xent_acc* acc);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_XENT_ACC_H */
