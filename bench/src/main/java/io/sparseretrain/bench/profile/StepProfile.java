package io.sparseretrain.bench.profile;

import io.sparseretrain.backend.cpu.CpuBackend;
import io.sparseretrain.core.Backend;
import io.sparseretrain.core.data.BatchLoader;
import io.sparseretrain.core.data.FashionMnist;
import io.sparseretrain.core.nn.Model;
import io.sparseretrain.core.nn.ModelSpec;
import io.sparseretrain.core.ops.DenseOps;
import io.sparseretrain.core.ops.NnOps;
import io.sparseretrain.core.ops.OptimizerOps;
import io.sparseretrain.core.ops.SgdConfig;
import io.sparseretrain.core.optim.Sgd;
import io.sparseretrain.core.schedule.Schedules;
import io.sparseretrain.core.train.DataCursor;
import io.sparseretrain.core.train.StepListener;
import io.sparseretrain.core.train.Trainer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes on the CPU backend: every DenseOps / NnOps / OptimizerOps call
 * is timed through a proxy (System.nanoTime around the call), and the rest of the step (Java
 * orchestration, batch copies, the data loader) is the remainder of the measured wall time.
 *
 * <pre>java -cp bench/target/benchmarks.jar io.sparseretrain.bench.profile.StepProfile [model.yaml] [epochs] [warm-up steps]</pre>
 * (epochs may be a fraction; the warm-up is one epoch unless given)
 */
public final class StepProfile {
    private StepProfile() {}

    static final Map<String, long[]> TIMES = new TreeMap<>();

    @SuppressWarnings("unchecked")
    static <T> T timed(Class<T> type, T target, String group) {
        InvocationHandler h = (proxy, m, args) -> {
            long t0 = System.nanoTime();
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                long[] acc = TIMES.computeIfAbsent(group + "." + m.getName(), k -> new long[2]);
                acc[0] += System.nanoTime() - t0;
                acc[1]++;
            }
        };
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
    }

    public static void main(String[] args) throws Exception {
        Path modelFile = Path.of(args.length > 0 ? args[0] : "models/lenet-300-100.yaml");
        double epochs = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        long warmupSteps = args.length > 2 ? Long.parseLong(args[2]) : -1;  // default: one epoch
        FashionMnist.Split data = FashionMnist.load(null);
        try (CpuBackend cpu = new CpuBackend()) {
            DenseOps dense = timed(DenseOps.class, cpu.dense(), "gemm");
            NnOps nn = timed(NnOps.class, cpu.nn(), "nn");
            OptimizerOps opt = timed(OptimizerOps.class, cpu.optimizers(), "optim");
            Backend b = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, m, a) -> {
                switch (m.getName()) {
                    case "dense": return dense;
                    case "nn": return nn;
                    case "optimizers": return opt;
                    default:
                        long t0 = System.nanoTime();
                        try {
                            return m.invoke(cpu, a);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        } finally {
                            if (m.getName().startsWith("copy")) {
                                long[] acc = TIMES.computeIfAbsent("copy." + m.getName(), k -> new long[2]);
                                acc[0] += System.nanoTime() - t0;
                                acc[1]++;
                            }
                        }
                }
            });
            try (Model model = ModelSpec.load(modelFile).build(b, 0); Sgd sgd = new Sgd(b, model.parameters(), SgdConfig.nesterov(0.9f, 1e-4f));
                 Trainer t = new Trainer(model, sgd, 128)) {
                BatchLoader loader = new BatchLoader(data.train(), 128, 0, true, false);
                long spe = loader.batchesPerEpoch();
                DataCursor cursor = new DataCursor(0, 0);
                long warm = warmupSteps < 0 ? spe : warmupSteps;
                t.trainSteps(loader, cursor, warm, Schedules.constant(0.05f, Math.max(1, warm)), 0, StepListener.NONE);  // warm-up
                TIMES.clear();
                long n = Math.round(epochs * spe);
                long t0 = System.nanoTime();
                t.trainSteps(loader, cursor, n, Schedules.constant(0.05f, n), 0, StepListener.NONE);
                double wall = (System.nanoTime() - t0) / 1e9;
                double timed = 0;
                System.out.printf("%s: %d steps in %.2f s = %.3f s per epoch of %d steps%n", modelFile, n, wall, wall / n * spe, spe);
                System.out.printf("%-34s %10s %8s %10s%n", "call", "calls", "share", "us/call");
                for (Map.Entry<String, long[]> e : TIMES.entrySet()) {
                    double s = e.getValue()[0] / 1e9;
                    timed += s;
                    System.out.printf("%-34s %10d %7.1f%% %10.1f%n", e.getKey(), e.getValue()[1], 100 * s / wall, 1e6 * s / e.getValue()[1]);
                }
                System.out.printf("%-34s %10s %7.1f%%%n", "rest (Java, loader, proxies)", "", 100 * (wall - timed) / wall);
            }
        }
    }
}
