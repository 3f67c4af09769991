package io.sparseretrain.core.schedule;

/**
 * ALLR's discount, kept for reporting: d₁ = ‖θ − θ_p‖₂ / (‖θ‖₂·√s) measures how much pruning
 * removed, d₂ = n / reference measures how short retraining is (reference = P for retraining after
 * pretraining, T0 for BIMP), and the warm-up peak is η₁ = η_max · min(1, max(d₁, d₂)).
 */
public record AllrFactors(double d1, double d2, double etaMax, double eta1) {
    /** The discount d = min(1, max(d₁, d₂)). */
    public double discount() {
        return Math.min(1.0, Math.max(d1, d2));
    }

    public static AllrFactors compute(AllrInputs report, long n, long reference, double etaMax) {
        if (n <= 0) throw new IllegalArgumentException("ALLR needs a retraining length n ≥ 1, got " + n);
        if (reference <= 0) throw new IllegalArgumentException("ALLR's d₂ = n / reference needs reference ≥ 1 (P or BIMP's T0), got " + reference);
        double d1 = report.normRemoved() / (report.normBefore() * Math.sqrt(report.fractionPruned()));
        double d2 = (double) n / reference;
        double eta1 = etaMax * Math.min(1.0, Math.max(d1, d2));
        return new AllrFactors(d1, d2, etaMax, eta1);
    }
}
