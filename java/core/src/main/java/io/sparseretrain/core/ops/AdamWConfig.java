package io.sparseretrain.core.ops;

/** AdamW hyper-parameters other than the learning rate (defaults of torch.optim.AdamW). */
public record AdamWConfig(float beta1, float beta2, float eps, float weightDecay) {
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("AdamW beta1 " + beta1 + " is not in [0, 1)");
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("AdamW beta2 " + beta2 + " is not in [0, 1)");
        if (!(eps >= 0) || Float.isInfinite(eps)) throw new IllegalArgumentException("AdamW eps " + eps + " must be finite and >= 0");
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) throw new IllegalArgumentException("AdamW weight_decay " + weightDecay + " must be finite and >= 0");
    }

    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9f, 0.999f, 1e-8f, 0.01f);
    }
}
