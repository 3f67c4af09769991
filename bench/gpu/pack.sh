#!/usr/bin/env bash
# Builds what one GPU-machine trip needs into the ignored /.device/ of this checkout (~35 MB; the
# device tool sends at most 64 MiB): a small JRE (../shared/device/make-jre.sh), our jars, the
# backend-cuda test classes, the Java step bench (io.sparseretrain.bench.gpu from the bench module, its
# classes only: no JMH, no CPU backend), javacpp + org.bytedeco:cuda (+ linux-x86_64 classifiers),
# snakeyaml (core reads model YAML with it) and the JUnit console launcher. NOT ND4J: the CUDA path must
# not need it. Offline from ~/.m2 where possible.
# Usage: bench/gpu/pack.sh   (then: device run, command `bash bench/gpu/run.sh`, carry ['.device'])
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SR_SHARED:-$root/../shared}
dev=$root/.device
cd "$root"
grep -qxF '/.device/' .gitignore || grep -qxF '/.device/' .git/info/exclude 2>/dev/null ||
  { echo "pack: /.device/ is not ignored here; add it to .git/info/exclude first"; exit 1; }
prop() { grep -oP "(?<=<$1>)[^<]+" pom.xml | head -1; }
javacpp=$(prop javacpp.version)
cuda=$(prop cuda.preset.version)
junit=$(prop junit.version)
snakeyaml=$(grep -oP '(?<=<artifactId>snakeyaml</artifactId><version>)[^<]+' pom.xml | head -1)
platform=1.${junit#5.}   # JUnit 5.x.y ships the platform 1.x.y
rm -rf "$dev"
mkdir -p "$dev/jars"

# 1. our modules (tests compiled, not run), the backend-cuda test classes as a jar, and the Java step
#    bench's package alone (bench/src/main/java/io/sparseretrain/bench/gpu uses core's API only; the rest
#    of the bench module is JMH on the CPU backend)
mvn -B -q package -DskipTests -pl java/backend-cuda,bench -am
cp java/core/target/sparseretrain-core-*.jar java/native-bridge/target/sparseretrain-native-bridge-*.jar \
   java/testkit/target/sparseretrain-testkit-*.jar java/backend-cuda/target/sparseretrain-backend-cuda-*.jar "$dev/jars/"
jar cf "$dev/jars/sparseretrain-backend-cuda-tests.jar" -C java/backend-cuda/target/test-classes .
jar cf "$dev/jars/sparseretrain-bench-gpu.jar" -C bench/target/classes io/sparseretrain/bench/gpu

# 2. third-party jars through Maven's own client (cached in ~/.m2 after the first time)
for a in "org.bytedeco:javacpp:$javacpp" "org.bytedeco:javacpp:$javacpp:jar:linux-x86_64" \
         "org.bytedeco:cuda:$cuda" "org.bytedeco:cuda:$cuda:jar:linux-x86_64" "org.yaml:snakeyaml:$snakeyaml" \
         "org.junit.platform:junit-platform-console-standalone:$platform"; do
  mvn -B -q dependency:copy -Dartifact="$a" -DoutputDirectory="$dev/jars" -Dmdep.overWriteReleases=true
done

# 3. the Java runtime (no JDK on the GPU machine)
# jdk.zipfs: the JUnit console scans test jars through the jar file system
bash "$shared/device/make-jre.sh" "$dev" jdk.zipfs > /dev/null
du -sh "$dev" "$dev"/jre.tar.xz "$dev"/jars/* | sed 's/^/pack: /'
total=$(du -sm "$dev" | cut -f1)
[ "$total" -lt 60 ] || { echo "pack: $dev is ${total} MB, over the ~60 MB budget"; exit 1; }
echo "pack: OK ($total MB). Device run: command 'bash bench/gpu/run.sh', carry ['.device']"
