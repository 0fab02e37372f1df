#!/usr/bin/env bash
# The monitor's benchmarks in one run, every figure printed together at the end.
# Usage (from the repository root): ./mvnw -B -ntp -f monitor-service/pom.xml -Pbench verify -DskipTests -DskipITs
# (exec-maven-plugin calls this with the JVM and the test classpath.)
set -euo pipefail
JAVA=$1
CP=$2
OUT=target/bench
mkdir -p "$OUT"
python3 src/test/bench/ks_scipy.py "$OUT" | tee "$OUT/figures.txt"
"$JAVA" -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$OUT/jmh.json" 'io.flywheel.monitor.bench.MonitorBenchmarks' | tee "$OUT/jmh.txt"
"$JAVA" -cp "$CP" io.flywheel.monitor.bench.BenchFigures target/quarkus-app/quarkus-run.jar | grep FIGURE | tee -a "$OUT/figures.txt"
python3 - "$OUT" <<'PY'
import json, sys, os
out = sys.argv[1]
scipy_ms = float(open(os.path.join(out, "scipy-ms.txt")).read())
res = {r["benchmark"].rsplit(".", 1)[1]: r["primaryMetric"] for r in json.load(open(os.path.join(out, "jmh.json")))}
print("\n================ monitor benchmarks, side by side ================")
f = res["fold"]; print("fold into panes (B=100), 1 core : %14.0f values/s  (+- %.0f)   goal >= 20,000,000" % (f["score"], f["scoreError"]))
e = res["evaluate"]; print("evaluate 1 feature, 1M-value window, B=1000 : %8.1f us  (+- %.1f)   goal <= 1,000 us" % (e["score"], e["scoreError"]))
k = res["exactKs"]; print("exact KS 2 x 1M doubles, Flywheel : %8.1f ms  (+- %.1f)" % (k["score"], k["scoreError"]))
print("exact KS 2 x 1M doubles, scipy    : %8.1f ms   -> Flywheel is %.1fx faster (goal >= 10x)" % (scipy_ms, scipy_ms / k["score"]))
for line in open(os.path.join(out, "figures.txt")):
    if line.startswith("FIGURE") and not line.startswith("FIGURE scipy"):
        print(line[7:].rstrip())
PY
