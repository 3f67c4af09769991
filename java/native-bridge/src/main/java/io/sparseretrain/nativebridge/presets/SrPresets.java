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
 * <p>The CUDA and cuSPARSELt libraries are preloaded only to make JavaCPP extract them beside
 * libsparseretrain.so when running from a jar; where they cannot load (no driver) the failure is
 * ignored and the core library reports the reason through {@code sr_runtime_info}.
 */
@Properties(
        target = "io.sparseretrain.nativebridge.SrNative",
        value = @Platform(
                include = "sparseretrain.h",
                link = "sparseretrain",
                preload = {"sparseretrain_cuda", "sparseretrain_lt"}))
public class SrPresets implements InfoMapper {
    @Override
    public void map(InfoMap infoMap) {
        infoMap.put(new Info("SPARSERETRAIN_H").cppTypes().annotations());
    }
}
