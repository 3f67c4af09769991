package io.sparseretrain.testkit;

/** Placeholder until the PyTorch golden fixture lands: keeps the suite chain intact. */
public abstract class GoldenConformance extends OptimizerConformance {
}
