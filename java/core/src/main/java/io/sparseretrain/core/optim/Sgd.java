package io.sparseretrain.core.optim;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.DType;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.ops.SgdConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** torch.optim.SGD (momentum, Nesterov, dampening, L2 or decoupled weight decay), mask-aware. */
public final class Sgd implements Optimizer {
    private final Backend backend;
    private final List<Parameter> params;
    private final SgdConfig config;
    private final Map<Parameter, Tensor> buffers = new LinkedHashMap<>();
    private long steps;

    public Sgd(Backend backend, List<Parameter> params, SgdConfig config) {
        this.backend = backend;
        this.params = List.copyOf(params);
        this.config = config;
        if (config.momentum() != 0) {
            for (Parameter p : params) buffers.put(p, backend.zeros(p.name() + ".momentum_buffer", DType.F32, p.value().shape()));
        }
    }

    public SgdConfig config() {
        return config;
    }

    @Override
    public String kind() {
        return "sgd";
    }

    @Override
    public void step(float lr) {
        boolean first = steps == 0;
        for (Parameter p : params) {
            backend.optimizers().sgdStep(p.value(), p.grad(), buffers.get(p), p.mask(), config, lr, first);
        }
        steps++;
    }

    @Override
    public void step(DeviceStepScalars scalars) {
        boolean first = steps == 0;  // stays a host flag: the first step of a captured loop is its warm-up
        for (Parameter p : params) {
            backend.optimizers().sgdStep(p.value(), p.grad(), buffers.get(p), p.mask(), config, scalars.scalars(), first);
        }
        steps++;
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
        steps = 0;  // the next step re-initialises every momentum buffer from its gradient, as a new torch SGD
    }

    @Override
    public Map<String, Map<String, Tensor>> state() {
        Map<String, Map<String, Tensor>> out = new LinkedHashMap<>();
        for (Map.Entry<Parameter, Tensor> e : buffers.entrySet()) out.put(e.getKey().name(), Map.of("momentum_buffer", e.getValue()));
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public void close() {
        buffers.values().forEach(Tensor::close);
        buffers.clear();
    }
}
