/*
 * sparseretrain/step_scalars.h — device-resident step scalars: the learning rate and step count in
 * the context's memory, advanced along an LR table, and the SGD / AdamW steps that read them when
 * they run (all capturable).
 * Part of the C API: sparseretrain.h includes every part and states the conventions they follow.
 */
#ifndef SPARSERETRAIN_STEP_SCALARS_H
#define SPARSERETRAIN_STEP_SCALARS_H

#include "sparseretrain/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ================================================================ device-resident step scalars
 * So that a whole training step, learning rate included, replays from one CUDA Graph (sr_graph_*
 * freezes host scalars at capture): the learning rate and the step count live in a small struct in
 * the context's memory (device memory on CUDA, host memory on host contexts) that the ops below read
 * when they RUN, not when they are called. sr_step_scalars_advance moves it along a precomputed LR
 * table that is also in the context's memory, so a captured "advance + forward + backward + step"
 * sequence follows any schedule without re-capture. Every call here is stream-ordered, allocates
 * nothing and returns nothing to the host: all are capturable.
 * The values inside the buffers are not checked (reading them would synchronize): the caller checks
 * the LR table (finite, >= 0) when it builds it. The per-element updates are those of sr_sgd_step /
 * sr_adamw_step (common/optim_update.h), so results are bit-identical to the host-scalar calls with
 * the same lr and step (AdamW's bias corrections are computed in double from the step, as there; on a
 * GPU with CUDA's double pow, which is within 2 ulp of glibc's in double before rounding to float).
 */
typedef struct sr_step_scalars {
    float lr;        /* the learning rate the next optimizer step uses */
    int32_t step;    /* 1-based number of that step (AdamW's t); 0 = none taken yet */
    int32_t cursor;  /* index of the next LR-table entry: a table may start mid-run (a new cycle's
                        schedule) while AdamW's t goes on */
    int32_t reserved; /* 0; keeps the struct 16 bytes */
} sr_step_scalars;

/*
 * s->step += 1; s->lr = lr_table[min(s->cursor, table_len - 1)]; s->cursor += 1 (saturating at
 * table_len). A struct zeroed with sr_memset_zero starts at the table's first entry and step 1; past
 * the end the last entry holds (a device cannot report an error mid-graph). table_len >= 1. To go on
 * from an earlier step (resume, a new cycle with the optimizer's state kept), write {0, steps taken,
 * 0, 0} with sr_memcpy (not capturable) before capturing.
 */
sr_status sr_step_scalars_advance(sr_context* ctx, sr_step_scalars* s, const float* lr_table, int64_t table_len);
/*
 * sr_sgd_step with lr read from s at run time. first_step stays a host scalar: it is true for a
 * momentum buffer's first step only, which is the uncaptured warm-up step of a captured loop.
 */
sr_status sr_sgd_step_dev(sr_context* ctx, float* w, const float* grad, float* momentum_buf, const uint8_t* mask,
                          int64_t n, const sr_step_scalars* s, float momentum, float dampening, float weight_decay,
                          int32_t nesterov, int32_t decoupled_wd, int32_t first_step);
/* sr_adamw_step with lr and step read from s at run time (a step < 1 there computes as step 1). */
sr_status sr_adamw_step_dev(sr_context* ctx, float* w, const float* grad, float* m, float* v, const uint8_t* mask,
                            int64_t n, const sr_step_scalars* s, float beta1, float beta2, float eps,
                            float weight_decay);

#ifdef __cplusplus
}
#endif

#endif /* SPARSERETRAIN_STEP_SCALARS_H */
