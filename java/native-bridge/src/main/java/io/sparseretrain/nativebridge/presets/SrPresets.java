package io.sparseretrain.nativebridge.presets;

import org.bytedeco.javacpp.annotation.Platform;
import org.bytedeco.javacpp.annotation.Properties;
import org.bytedeco.javacpp.tools.Info;
import org.bytedeco.javacpp.tools.InfoMap;
import org.bytedeco.javacpp.tools.InfoMapper;

/**
 * JavaCPP configuration of our one C header. The JavaCPP parser turns it into
 * {@code io.sparseretrain.nativebridge.SrNative} at build time (target/generated-sources) and the
 * builder compiles the JNI glue; neither is ever edited by hand.
 *
 * <p>The parser reads only the files listed in {@code include}; it does not follow an
 * {@code #include}. So the list names the umbrella sparseretrain.h first (its overview and
 * conventions head the generated class) and then every topic header under sparseretrain/ in the
 * umbrella's order, base.h first; a topic header added there must be added here too.
 *
 * <p>The CUDA and cuSPARSELt libraries are preloaded only to make JavaCPP extract them beside
 * libsparseretrain.so when running from a jar; where they cannot load (no driver) the failure is
 * ignored and the core library reports the reason through {@code sr_runtime_info}.
 */
@Properties(
        target = "io.sparseretrain.nativebridge.SrNative",
        value = @Platform(
                include = {
                        "sparseretrain.h",
                        "sparseretrain/base.h",
                        "sparseretrain/masks.h",
                        "sparseretrain/optim.h",
                        "sparseretrain/gemm.h",
                        "sparseretrain/layers.h",
                        "sparseretrain/sparse_gemm.h",
                        "sparseretrain/graph.h",
                        "sparseretrain/step_scalars.h",
                        "sparseretrain/xent_acc.h"},
                link = "sparseretrain",
                preload = {"sparseretrain_cuda", "sparseretrain_lt"}))
public class SrPresets implements InfoMapper {
    @Override
    public void map(InfoMap infoMap) {
        infoMap.put(new Info("SPARSERETRAIN_H").cppTypes().annotations());
    }
}
