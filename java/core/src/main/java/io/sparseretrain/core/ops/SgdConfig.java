package io.sparseretrain.core.ops;

/**
 * SGD hyper-parameters other than the learning rate (which a schedule sets per step).
 *
 * @param decoupledWeightDecay false: L2 (wd·w added to the gradient, PyTorch's default); true:
 *                             w ← w·(1 − lr·wd) before the update
 */
public record SgdConfig(float momentum, float dampening, float weightDecay, boolean nesterov,
                        boolean decoupledWeightDecay) {
    public SgdConfig {
        if (!(momentum >= 0) || Float.isInfinite(momentum)) throw new IllegalArgumentException("SGD momentum " + momentum + " must be finite and >= 0");
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) throw new IllegalArgumentException("SGD weight_decay " + weightDecay + " must be finite and >= 0");
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("SGD nesterov needs momentum > 0 and dampening = 0 (got momentum "
                    + momentum + ", dampening " + dampening + ")");
        }
    }

    public static SgdConfig plain() {
        return new SgdConfig(0f, 0f, 0f, false, false);
    }

    public static SgdConfig nesterov(float momentum, float weightDecay) {
        return new SgdConfig(momentum, 0f, weightDecay, true, false);
    }
}
