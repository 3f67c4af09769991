package io.sparseretrain.testkit.reference;

/** A float64 parameter of a reference layer: its value and the gradient the last backward wrote. */
public final class RefParam {
    public final String name;
    public final double[] value;
    public final double[] grad;

    public RefParam(String name, int n) {
        this.name = name;
        this.value = new double[n];
        this.grad = new double[n];
    }
}
