package io.sparseretrain.core.nn;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.ops.Activation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import io.sparseretrain.core.config.Fields;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * A model described declaratively (models/*.yaml): name, input [h, w, c] or [features], classes, and
 * a list of layers, each a map with a {@code type}. Unknown types and fields are errors that name the
 * file, the layer index and the allowed values, raised before anything is allocated.
 */
public final class ModelSpec {
    private static final Map<String, Set<String>> FIELDS = Map.ofEntries(
            Map.entry("linear", Set.of("name", "out", "bias")),
            Map.entry("conv", Set.of("name", "out", "kernel", "stride", "padding", "bias")),
            Map.entry("relu", Set.of()),
            Map.entry("gelu", Set.of()),
            Map.entry("maxpool", Set.of("kernel", "stride", "padding")),
            Map.entry("avgpool", Set.of("kernel", "stride", "padding")),
            Map.entry("global_avgpool", Set.of()),
            Map.entry("batchnorm", Set.of("name", "momentum", "eps")),
            Map.entry("flatten", Set.of()),
            Map.entry("dropout", Set.of("p")),
            Map.entry("resnet_stage", Set.of("name", "blocks", "out", "stride", "mid")));

    private final String source;
    private final String name;
    private final int[] input;
    private final int classes;
    private final List<Map<String, Object>> layers;

    private ModelSpec(String source, String name, int[] input, int classes, List<Map<String, Object>> layers) {
        this.source = source;
        this.name = name;
        this.input = input;
        this.classes = classes;
        this.layers = layers;
    }

    public String name() {
        return name;
    }

    public static ModelSpec load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new ModelSpecException(file + ": model file not found");
        return parse(file.toString(), Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    public static ModelSpec parse(String source, String yamlText) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(yamlText);
        } catch (RuntimeException e) {
            throw new ModelSpecException(source + ": not valid YAML: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) throw new ModelSpecException(source + ": expected a map at the top");
        Fields f = new Fields(source, "model", (Map<String, Object>) top, Set.of("name", "input", "classes", "layers"), ModelSpecException::new);
        String name = f.string("name", null);
        List<Object> in = f.list("input");
        if (in.size() != 1 && in.size() != 3) throw new ModelSpecException(source + ": input " + in + " is neither [features] nor [h, w, c]");
        int[] input = new int[in.size()];
        for (int i = 0; i < input.length; i++) {
            if (!(in.get(i) instanceof Integer v) || v <= 0) throw new ModelSpecException(source + ": input[" + i + "] = " + in.get(i) + " is not a positive integer");
            input[i] = v;
        }
        int classes = f.positiveInt("classes", null);
        List<Map<String, Object>> layers = new ArrayList<>();
        List<Object> raw = f.list("layers");
        for (int i = 0; i < raw.size(); i++) {
            Object l = raw.get(i);
            Map<String, Object> m = l instanceof String s ? Map.of("type", s) : l instanceof Map<?, ?> mm ? (Map<String, Object>) mm : null;
            if (m == null || !(m.get("type") instanceof String type)) {
                throw new ModelSpecException(source + ": layers[" + i + "] needs a 'type' (one of " + new java.util.TreeSet<>(FIELDS.keySet()) + ")");
            }
            Set<String> allowed = FIELDS.get(type);
            if (allowed == null) {
                throw new ModelSpecException(source + ": layers[" + i + "]: unknown type '" + type + "' (allowed: " + new java.util.TreeSet<>(FIELDS.keySet()) + ")");
            }
            new Fields(source, "layers[" + i + "] (" + type + ")", m, union(allowed, Set.of("type")), ModelSpecException::new);
            layers.add(m);
        }
        if (layers.isEmpty()) throw new ModelSpecException(source + ": 'layers' is empty");
        return new ModelSpec(source, name, input, classes, layers);
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        java.util.HashSet<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return s;
    }

    /** Builds the model on a backend, initialised as PyTorch initialises these layers, from {@code seed}. */
    public Model build(Backend backend, long seed) {
        Shape shape = input.length == 3 ? Shape.map(input[0], input[1], input[2]) : Shape.flat(input[0]);
        List<Layer> built = new ArrayList<>();
        try {
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layer(backend, i, layers.get(i), shape, built);
                if (l != null) {
                    built.add(l);
                    shape = l.outputShape();
                }
            }
            Model model = new Model(name, backend, input.length == 3 ? Shape.map(input[0], input[1], input[2]) : Shape.flat(input[0]),
                    classes, built);
            Initializer.pytorchDefault(model, seed);
            return model;
        } catch (RuntimeException e) {
            built.forEach(Layer::close);
            if (e instanceof ModelSpecException) throw e;
            throw new ModelSpecException(source + ": " + e.getMessage());
        }
    }

    private Layer layer(Backend b, int i, Map<String, Object> m, Shape in, List<Layer> built) {
        Fields f = new Fields(source, "layers[" + i + "] (" + m.get("type") + ")", m, null, ModelSpecException::new);
        return switch ((String) m.get("type")) {
            case "linear" -> new Linear(b, f.string("name", null), in, f.positiveInt("out", null), f.bool("bias", true));
            case "conv" -> new Conv2d(b, f.string("name", null), in, f.positiveInt("out", null), f.positiveInt("kernel", null),
                    f.positiveInt("stride", 1), f.nonNegativeInt("padding", 0), f.bool("bias", true));
            case "relu" -> new ActivationLayer(b, Activation.RELU, in);
            case "gelu" -> new ActivationLayer(b, Activation.GELU, in);
            case "maxpool" -> {
                int k = f.positiveInt("kernel", null);
                yield new MaxPool2d(b, in, k, f.positiveInt("stride", k), f.nonNegativeInt("padding", 0));
            }
            case "avgpool" -> {
                int k = f.positiveInt("kernel", null);
                yield new AvgPool2d(b, in, k, f.positiveInt("stride", k), f.nonNegativeInt("padding", 0));
            }
            case "global_avgpool" -> AvgPool2d.global(b, in);
            case "batchnorm" -> new BatchNorm(b, f.string("name", null), in, (float) f.number("momentum", 0.1), (float) f.number("eps", 1e-5));
            case "flatten" -> new Flatten(b, in);
            case "dropout" -> new Dropout(b, in, (float) f.number("p", null), 0x5eed0000L + i);
            case "resnet_stage" -> stage(b, f, in, built);
            default -> throw new IllegalStateException("unreachable");
        };
    }

    /**
     * A ResNet stage "layerN" of basic blocks named layerN.0, layerN.1, …; {@code mid} (optional) is
     * conv1's width per block, one number for all or a list of one per block (a structurally pruned
     * model's spec), default {@code out}.
     */
    private Layer stage(Backend b, Fields f, Shape in, List<Layer> built) {
        String stageName = f.string("name", null);
        int blocks = f.positiveInt("blocks", null);
        int out = f.positiveInt("out", null);
        int stride = f.positiveInt("stride", 1);
        int[] mid = new int[blocks];
        java.util.Arrays.fill(mid, out);
        if (f.has("mid")) {
            List<Double> ms = f.numbers("mid", null);
            if (ms.size() != 1 && ms.size() != blocks) {
                throw new ModelSpecException(source + ": resnet_stage '" + stageName + "': field 'mid' has " + ms.size() + " entries, expected 1 or "
                        + blocks + " (one per block)");
            }
            for (int j = 0; j < blocks; j++) {
                double v = ms.get(ms.size() == 1 ? 0 : j);
                if (v != Math.rint(v) || v < 1) {
                    throw new ModelSpecException(source + ": resnet_stage '" + stageName + "': field 'mid' entry " + v + " is not a positive integer");
                }
                mid[j] = (int) v;
            }
        }
        Shape s = in;
        for (int j = 0; j < blocks - 1; j++) {
            BasicBlock blk = new BasicBlock(b, stageName + "." + j, s, out, mid[j], j == 0 ? stride : 1, 0.1f, 1e-5f);
            built.add(blk);
            s = blk.outputShape();
        }
        return new BasicBlock(b, stageName + "." + (blocks - 1), s, out, mid[blocks - 1], blocks == 1 ? stride : 1, 0.1f, 1e-5f);
    }
}
