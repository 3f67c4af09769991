package io.sparseretrain.testkit;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.ActivationLayer;
import io.sparseretrain.core.nn.AvgPool2d;
import io.sparseretrain.core.nn.BasicBlock;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Conv2d;
import io.sparseretrain.core.nn.Flatten;
import io.sparseretrain.core.nn.Layer;
import io.sparseretrain.core.nn.Linear;
import io.sparseretrain.core.nn.MaxPool2d;
import io.sparseretrain.core.nn.Shape;
import io.sparseretrain.core.ops.Activation;
import java.util.List;
import java.util.Map;

/**
 * The engine layers of one golden case, from its "config". Layers are unnamed so their parameter
 * names are PyTorch's state_dict keys of the same module ("weight", "conv1.weight", "fc.weight").
 */
final class GoldenLayers {
    private GoldenLayers() {}

    static List<Layer> build(Backend b, Map<String, Object> cfg, int[] in) {
        Shape s = new Shape(in);
        String type = (String) cfg.get("type");
        return switch (type) {
            case "linear" -> List.of(new Linear(b, "", s, GoldenFixture.integer(cfg, "out"), true));
            case "conv" -> List.of(new Conv2d(b, "", s, GoldenFixture.integer(cfg, "out"), GoldenFixture.integer(cfg, "kernel"),
                    GoldenFixture.integer(cfg, "stride"), GoldenFixture.integer(cfg, "padding"), true));
            case "relu" -> List.of(new ActivationLayer(b, Activation.RELU, s));
            case "gelu" -> List.of(new ActivationLayer(b, Activation.GELU, s));
            case "maxpool" -> List.of(new MaxPool2d(b, s, GoldenFixture.integer(cfg, "kernel"), GoldenFixture.integer(cfg, "stride"),
                    GoldenFixture.integer(cfg, "padding")));
            case "avgpool" -> List.of(new AvgPool2d(b, s, GoldenFixture.integer(cfg, "kernel"), GoldenFixture.integer(cfg, "stride"),
                    GoldenFixture.integer(cfg, "padding")));
            case "batchnorm" -> List.of(new BatchNorm(b, "", s, GoldenFixture.number(cfg, "momentum"), GoldenFixture.number(cfg, "eps")));
            case "basicblock" -> List.of(new BasicBlock(b, "", s, GoldenFixture.integer(cfg, "out"), GoldenFixture.integer(cfg, "stride"), 0.1f, 1e-5f));
            case "flatten_linear" -> List.of(new Flatten(b, s), new Linear(b, "fc", Shape.flat((int) s.elements()), GoldenFixture.integer(cfg, "out"), true));
            default -> throw new AssertionError("golden fixture: unknown layer type '" + type + "'");
        };
    }
}
