package io.sparseretrain.core.io;

import io.sparseretrain.core.Backend;
import io.sparseretrain.core.Tensor;
import io.sparseretrain.core.nn.BatchNorm;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.Parameter;
import io.sparseretrain.core.nn.StateBuffer;
import io.sparseretrain.core.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model (+ masks, + optimizer state) ↔ safetensors. Weights, biases, batch-norm parameters, running
 * statistics and {@code num_batches_tracked} carry PyTorch's state_dict names, so
 * {@code model.load_state_dict} of the same architecture takes them (keys under {@value #MASK} and
 * {@value #OPTIM} are ours and are filtered out on the PyTorch side). Loading checks every name,
 * dtype and shape before it copies anything: a bad file never half-loads.
 */
public final class Checkpoint {
    public static final String MASK = "sparseretrain.mask.";
    public static final String OPTIM = "sparseretrain.optim.";
    public static final String FORMAT = "sparseretrain.format";
    public static final String FORMAT_VERSION = "1";

    private Checkpoint() {}

    public static void save(Path file, Model model, Optimizer optimizer, Map<String, String> metadata) throws IOException {
        Backend b = model.backend();
        List<HostTensor> out = new ArrayList<>();
        for (Parameter p : model.parameters()) out.add(HostTensor.ofFloats(p.name(), b.copyToHostFloats(p.value()), p.value().shape()));
        for (StateBuffer s : model.buffers()) out.add(HostTensor.ofFloats(s.name(), b.copyToHostFloats(s.value()), s.value().shape()));
        for (BatchNorm bn : model.batchNorms()) out.add(HostTensor.ofLongs(bn.name() + ".num_batches_tracked", new long[] {bn.batchesTracked()}));
        for (Parameter p : model.prunableParameters()) {
            if (p.mask() != null) out.add(HostTensor.ofBytes(MASK + p.name(), b.copyToHostBytes(p.mask()), p.value().shape()));
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put(FORMAT, FORMAT_VERSION);
        meta.put("model", model.name());
        if (optimizer != null) {
            meta.put("optimizer", optimizer.kind());
            meta.put("optimizer.steps", Long.toString(optimizer.steps()));
            for (Map.Entry<String, Map<String, Tensor>> e : optimizer.state().entrySet()) {
                for (Map.Entry<String, Tensor> s : e.getValue().entrySet()) {
                    Tensor t = s.getValue();
                    out.add(HostTensor.ofFloats(OPTIM + e.getKey() + "." + s.getKey(), b.copyToHostFloats(t), t.shape()));
                }
            }
        }
        SafeTensors.write(file, out, meta);
    }

    /**
     * Loads into {@code model} (and {@code optimizer} when not null and the file has its state).
     * Returns the file's metadata. Masks in the file replace the model's; a file without masks makes
     * the model dense again.
     */
    public static Map<String, String> load(Path file, Model model, Optimizer optimizer) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(file);
        Map<String, HostTensor> ts = c.tensors();
        // 1. validate everything
        for (Parameter p : model.parameters()) requireF32(file, ts, p.name(), p.value().shape());
        for (StateBuffer s : model.buffers()) requireF32(file, ts, s.name(), s.value().shape());
        for (BatchNorm bn : model.batchNorms()) {
            HostTensor n = ts.get(bn.name() + ".num_batches_tracked");
            if (n != null && (n.dtype() != StoredDType.I64 || n.numel() != 1)) {
                throw new CheckpointFormatException(file, "tensor '" + n.name() + "' must be one I64 value, is " + n.dtype() + " " + Arrays.toString(n.shape()));
            }
        }
        for (Parameter p : model.prunableParameters()) {
            HostTensor m = ts.get(MASK + p.name());
            if (m == null) continue;
            if (m.dtype() != StoredDType.U8 || !Arrays.equals(m.shape(), p.value().shape())) {
                throw new CheckpointFormatException(file, "mask '" + m.name() + "' is " + m.dtype() + " " + Arrays.toString(m.shape())
                        + ", expected U8 " + Arrays.toString(p.value().shape()));
            }
            byte[] bytes = m.toBytes();
            for (int i = 0; i < bytes.length; i++) {
                if (bytes[i] != 0 && bytes[i] != 1) throw new CheckpointFormatException(file, "mask '" + m.name() + "' element " + i + " is " + bytes[i] + ", not 0 or 1");
            }
        }
        for (String name : ts.keySet()) {
            if (name.startsWith(MASK) && !hasPrunable(model, name.substring(MASK.length()))) {
                throw new CheckpointFormatException(file, "mask '" + name + "' belongs to no prunable parameter of model '" + model.name() + "'");
            }
        }
        boolean withOptimizer = optimizer != null && c.metadata().containsKey("optimizer");
        if (withOptimizer) {
            if (!optimizer.kind().equals(c.metadata().get("optimizer"))) {
                throw new CheckpointFormatException(file, "holds " + c.metadata().get("optimizer") + " state, the run uses " + optimizer.kind());
            }
            for (Map.Entry<String, Map<String, Tensor>> e : optimizer.state().entrySet()) {
                for (Map.Entry<String, Tensor> s : e.getValue().entrySet()) requireF32(file, ts, OPTIM + e.getKey() + "." + s.getKey(), s.getValue().shape());
            }
        }
        // 2. copy
        Backend b = model.backend();
        for (Parameter p : model.parameters()) b.copyFromHost(ts.get(p.name()).toFloats(), p.value());
        for (StateBuffer s : model.buffers()) b.copyFromHost(ts.get(s.name()).toFloats(), s.value());
        for (BatchNorm bn : model.batchNorms()) {
            HostTensor n = ts.get(bn.name() + ".num_batches_tracked");
            bn.setBatchesTracked(n == null ? 0 : n.data().getLong(0));
        }
        for (Parameter p : model.prunableParameters()) {
            HostTensor m = ts.get(MASK + p.name());
            if (m != null) {
                b.copyFromHost(m.toBytes(), p.ensureMask(b));
                b.masks().apply(p.value(), p.mask());  // weights stay physically zero where masked
            } else if (p.mask() != null) {
                byte[] ones = new byte[(int) p.numel()];
                Arrays.fill(ones, (byte) 1);
                b.copyFromHost(ones, p.mask());
            }
        }
        if (withOptimizer) {
            for (Map.Entry<String, Map<String, Tensor>> e : optimizer.state().entrySet()) {
                for (Map.Entry<String, Tensor> s : e.getValue().entrySet()) {
                    b.copyFromHost(ts.get(OPTIM + e.getKey() + "." + s.getKey()).toFloats(), s.getValue());
                }
            }
            optimizer.setSteps(Long.parseLong(c.metadata().getOrDefault("optimizer.steps", "0")));
        }
        return c.metadata();
    }

    private static boolean hasPrunable(Model model, String name) {
        return model.prunableParameters().stream().anyMatch(p -> p.name().equals(name));
    }

    private static void requireF32(Path file, Map<String, HostTensor> ts, String name, long[] shape) {
        HostTensor t = ts.get(name);
        if (t == null) throw new CheckpointFormatException(file, "has no tensor '" + name + "' (expected F32 " + Arrays.toString(shape) + ")");
        if (t.dtype() != StoredDType.F32) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' is " + t.dtype() + "; SparseRetrain loads F32 (save with .float())");
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new CheckpointFormatException(file, "tensor '" + name + "' has shape " + Arrays.toString(t.shape()) + ", the model expects "
                    + Arrays.toString(shape));
        }
    }

}
