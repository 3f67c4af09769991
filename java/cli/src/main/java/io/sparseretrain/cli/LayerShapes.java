package io.sparseretrain.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Layer shapes of the demo model: parsed from "784x300,300x100" or a VGG-like model scaled to a size. */
final class LayerShapes {
    private LayerShapes() {}

    /** "OUTxIN" (Linear) or "COUTxCINxKHxKW" (Conv) per entry; names fc1.. / conv1... */
    static Map<String, long[]> parse(List<String> specs) {
        Map<String, long[]> layers = new LinkedHashMap<>();
        int fc = 0, conv = 0;
        for (String s : specs) {
            String[] parts = s.trim().toLowerCase().split("x");
            if (parts.length != 2 && parts.length != 4) {
                throw new IllegalArgumentException("--layers entry '" + s + "' is not OUTxIN or COUTxCINxKHxKW");
            }
            long[] shape = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    shape[i] = Long.parseLong(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--layers entry '" + s + "': '" + parts[i] + "' is not a number");
                }
                if (shape[i] <= 0) throw new IllegalArgumentException("--layers entry '" + s + "' has a dimension <= 0");
            }
            layers.put(parts.length == 2 ? "fc" + ++fc + ".weight" : "conv" + ++conv + ".weight", shape);
        }
        if (layers.isEmpty()) throw new IllegalArgumentException("--layers is empty");
        return layers;
    }

    /**
     * A VGG-like model (six 3x3 convs, three Linear layers, 10 classes) whose widths are scaled so
     * that the total is close to {@code params}; widths stay multiples of 8 so every K divides by 4.
     */
    static Map<String, long[]> vggLike(long params) {
        if (params < 10_000) throw new IllegalArgumentException("--params " + params + " is too small (at least 10000)");
        double base = total(build(1.0)), scale = Math.sqrt(params / base);
        // Two refinements: rounding to multiples of 8 shifts the total a little.
        for (int i = 0; i < 2; i++) scale *= Math.sqrt(params / (double) total(build(scale)));
        return build(scale);
    }

    private static Map<String, long[]> build(double s) {
        int[] conv = {64, 128, 256, 512, 512, 512};
        int[] fc = {2048, 1024};
        Map<String, long[]> m = new LinkedHashMap<>();
        long in = 3;
        for (int i = 0; i < conv.length; i++) {
            long out = width(conv[i], s);
            m.put("conv" + (i + 1) + ".weight", new long[] {out, in, 3, 3});
            in = out;
        }
        in = in * 4; // 2x2 spatial after the last pooling
        for (int i = 0; i < fc.length; i++) {
            long out = width(fc[i], s);
            m.put("fc" + (i + 1) + ".weight", new long[] {out, in});
            in = out;
        }
        m.put("fc" + (fc.length + 1) + ".weight", new long[] {10, in});
        return m;
    }

    private static long width(int w, double s) {
        return Math.max(8, Math.round(w * s / 8) * 8);
    }

    static long total(Map<String, long[]> layers) {
        long t = 0;
        for (long[] shape : layers.values()) t += io.sparseretrain.core.Shapes.numel(shape);
        return t;
    }

    static List<String> names(Map<String, long[]> layers) {
        return new ArrayList<>(layers.keySet());
    }
}
