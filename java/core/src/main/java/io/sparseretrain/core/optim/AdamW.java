package io.sparseretrain.core.optim;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.AdamWConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.AdamW, mask-aware: pruned weights and their moments stay exactly zero. */
public final class AdamW implements Optimizer {
    private final Backend backend;
    private final List<Parameter> params;
    private final AdamWConfig config;
    private final Map<Parameter, Tensor[]> moments = new LinkedHashMap<>();
    private long steps;

    public AdamW(Backend backend, List<Parameter> params, AdamWConfig config) {
        this.backend = backend;
        this.params = List.copyOf(params);
        this.config = config;
        for (Parameter p : params) {
            moments.put(p, new Tensor[] {
                backend.zeros(p.name() + ".exp_avg", DType.F32, p.value().shape()),
                backend.zeros(p.name() + ".exp_avg_sq", DType.F32, p.value().shape())});
        }
    }

    @Override
    public String kind() {
        return "adamw";
    }

    @Override
    public void step(float lr) {
        steps++;
        for (Parameter p : params) {
            Tensor[] mv = moments.get(p);
            backend.optimizers().adamwStep(p.value(), p.grad(), mv[0], mv[1], p.mask(), config, lr, steps);
        }
    }

    @Override
    public void step(DeviceStepScalars scalars) {
        steps++;  // the device's count advanced with scalars.advance(); this one is for checkpoints
        for (Parameter p : params) {
            Tensor[] mv = moments.get(p);
            backend.optimizers().adamwStep(p.value(), p.grad(), mv[0], mv[1], p.mask(), config, scalars.scalars());
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public void setSteps(long steps) {
        this.steps = steps;
    }

    @Override
    public void reset() {
        steps = 0;
        for (Tensor[] mv : moments.values()) {
            for (Tensor t : mv) backend.copyFromHost(new float[(int) t.numel()], t);
        }
    }

    @Override
    public Map<String, Map<String, Tensor>> state() {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        for (Map.Entry<Parameter, Tensor[]> e : moments.entrySet()) {
            out.put(e.getKey().name(), Map.of("exp_avg", e.getValue()[0], "exp_avg_sq", e.getValue()[1]));
        }
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public void close() {
        for (Tensor[] mv : moments.values()) for (Tensor t : mv) t.close();
        moments.clear();
    }
}
