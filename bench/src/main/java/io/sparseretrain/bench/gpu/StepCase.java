package io.sparseretrain.bench.gpu;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.nn.KernelMode;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.nn.Precision;
import io.sparseretrain.core.ops.AdamWConfig;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.AdamW;
import io.sparseretrain.core.optim.Optimizer;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.prune.PruneSpec;
import io.sparseretrain.core.prune.Pruner;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One training-step shape of issue 5: a model (from YAML), its batch, GEMM kernels and precision, and
 * the optimizer of its recipe. Specs are parsed when the cases are listed, before any backend exists,
 * so a bad model file fails first.
 *
 * @param model        "mlp" | "lenet" | "resnet20" (the --models word)
 * @param kernels      dense or 2:4 (transposable masks: forward AND input gradient on the 2:4 plans)
 * @param defaultSteps steps per timed block unless --steps says otherwise (≈ 0.1 s or more per block on a GPU)
 */
record StepCase(String model, ModelSpec spec, String shape, int batch, KernelMode kernels, Precision precision, String optimizer,
                float lr, int defaultSteps) {
    /** The transformer MLP block of mlp_step_bench.cu: Linear D→H, GELU, Linear H→D, D classes. */
    static String mlpYaml(int d, int h) {
        return """
                name: mlp-block
                input: [%d]
                classes: %d
                layers:
                  - {type: linear, name: fc1, out: %d}
                  - gelu
                  - {type: linear, name: fc2, out: %d}
                """.formatted(d, d, h, d);
    }

    /** The cases of {@code args.models()} in order: mlp is two (dense, 2:4), the others one each. */
    static List<StepCase> list(BenchArgs args) throws IOException {
        List<StepCase> out = new ArrayList<>();
        for (String m : args.models()) {
            switch (m) {
                case "mlp" -> {
                    int d = args.mlp()[0], h = args.mlp()[1], tokens = args.mlp()[2];
                    ModelSpec spec = ModelSpec.parse("mlp-block (JavaStepBench)", mlpYaml(d, h));
                    String shape = d + "→" + h + "→" + d + ", GELU";
                    for (KernelMode k : List.of(KernelMode.DENSE, KernelMode.SPARSE24)) {
                        out.add(new StepCase(m, spec, shape, tokens, k, Precision.BF16, "adamw", 1e-4f, 10));
                    }
                }
                case "lenet" -> out.add(new StepCase(m, ModelSpec.load(args.modelsDir().resolve("lenet-300-100.yaml")),
                        "784→300→100→10", args.batch(), KernelMode.DENSE, Precision.FP32, "sgd-nesterov", 0.01f, 200));
                case "resnet20" -> out.add(new StepCase(m, ModelSpec.load(args.modelsDir().resolve("resnet20.yaml")),
                        "28×28×1, 16/32/64 ch", args.batch(), KernelMode.DENSE, Precision.FP32, "sgd-momentum", 0.01f, 20));
                default -> throw new IllegalArgumentException("unknown model '" + m + "'");
            }
        }
        return out;
    }

    /** "dense bf16", "2:4 transposable bf16", "dense fp32". */
    String kernelsLabel() {
        return (kernels == KernelMode.SPARSE24 ? "2:4 transposable" : "dense") + " " + precision.word();
    }

    String optimizerLabel() {
        return switch (optimizer) {
            case "adamw" -> "AdamW";
            case "sgd-nesterov" -> "SGD Nesterov 0.9";
            default -> "SGD momentum 0.9";
        };
    }

    /**
     * The model with its kernels decided: for 2:4, transposable 2:4 masks on every weight, applied, the
     * 2:4 runtime attached and its plans made (and each plan's one pattern-checked compression run) for
     * this batch, so no plan is made inside a timed or captured step.
     */
    Model build(Backend b, long seed) {
        Model m = spec.build(b, seed);
        try {
            if (kernels == KernelMode.SPARSE24) new Pruner(PruneSpec.transposable24(Set.of())).prune(m, 0.5, 0);
            if (kernels != KernelMode.DENSE || precision != Precision.FP32) {
                m.useKernels(kernels, precision, true);
                m.prepareKernels(batch);
            }
            return m;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    Optimizer optimizer(Model m) {
        return switch (optimizer) {
            case "adamw" -> new AdamW(m.backend(), m.parameters(), AdamWConfig.defaults());
            case "sgd-nesterov" -> new Sgd(m.backend(), m.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
            default -> new Sgd(m.backend(), m.parameters(), new SgdConfig(0.9f, 0f, 1e-4f, false, false));
        };
    }
}
