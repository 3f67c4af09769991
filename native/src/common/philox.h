// philox.h — Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC'11;
// the Random123 / cuRAND generator), shared by the host reference and the CUDA kernels so a seed
// gives the identical random mask on both.
//
// Random pruning key of element i (0-based, int64) of tensor t (0-based, int32) under a 64-bit seed:
//   counter = {lo32(i), hi32(i), (uint32)t, 0}
//   key     = {lo32(seed), hi32(seed)}
//   sr_philox_select_key = word 0 of philox4x32_10(counter, key)
// This layout is part of the public contract (sr_prune_random_*): changing it changes every mask.
#ifndef SR_COMMON_PHILOX_H
#define SR_COMMON_PHILOX_H

#include "common/defs.h"

struct sr_philox4x32 {
    uint32_t v[4];
};

// The multipliers and Weyl key increments of Philox4x32 (Random123 philox.h).
#define SR_PHILOX_M0 0xD2511F53u
#define SR_PHILOX_M1 0xCD9E8D57u
#define SR_PHILOX_W0 0x9E3779B9u
#define SR_PHILOX_W1 0xBB67AE85u

// 32x32 -> 64-bit product split into its high and low words.
SR_HD uint32_t sr_philox_mulhilo(uint32_t a, uint32_t b, uint32_t* hi) {
#if defined(__CUDA_ARCH__)
    *hi = __umulhi(a, b);
    return a * b;
#else
    uint64_t p = (uint64_t)a * (uint64_t)b;
    *hi = (uint32_t)(p >> 32);
    return (uint32_t)p;
#endif
}

// Ten rounds; the key is bumped by the Weyl constants between rounds (not after the last).
SR_HD sr_philox4x32 sr_philox4x32_10(sr_philox4x32 ctr, uint32_t k0, uint32_t k1) {
    for (int round = 0; round < 10; ++round) {
        if (round > 0) {
            k0 += SR_PHILOX_W0;
            k1 += SR_PHILOX_W1;
        }
        uint32_t hi0, hi1;
        uint32_t lo0 = sr_philox_mulhilo(SR_PHILOX_M0, ctr.v[0], &hi0);
        uint32_t lo1 = sr_philox_mulhilo(SR_PHILOX_M1, ctr.v[2], &hi1);
        sr_philox4x32 next;
        next.v[0] = hi1 ^ ctr.v[1] ^ k0;
        next.v[1] = lo1;
        next.v[2] = hi0 ^ ctr.v[3] ^ k1;
        next.v[3] = lo0;
        ctr = next;
    }
    return ctr;
}

// The 32-bit ranking key of element i of tensor t (layout above).
SR_HD uint32_t sr_philox_select_key(uint64_t seed, int32_t t, int64_t i) {
    sr_philox4x32 ctr;
    ctr.v[0] = (uint32_t)(uint64_t)i;
    ctr.v[1] = (uint32_t)((uint64_t)i >> 32);
    ctr.v[2] = (uint32_t)t;
    ctr.v[3] = 0u;
    return sr_philox4x32_10(ctr, (uint32_t)seed, (uint32_t)(seed >> 32)).v[0];
}

#endif
