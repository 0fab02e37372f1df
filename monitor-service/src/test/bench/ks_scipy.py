#!/usr/bin/env python3
"""scipy's ks_2samp on two samples of 1M doubles, written where the JMH benchmark reads them."""
import os, sys, time
import numpy as np
from scipy import stats

out = sys.argv[1] if len(sys.argv) > 1 else "target/bench"
os.makedirs(out, exist_ok=True)
g = np.random.default_rng(2026)
a = g.normal(0, 1, 1_000_000)
b = g.normal(0.001, 1.002, 1_000_000)
a.astype("<f8").tofile(os.path.join(out, "ks-a.bin"))
b.astype("<f8").tofile(os.path.join(out, "ks-b.bin"))
times = []
for _ in range(5):
    t = time.perf_counter()
    r = stats.ks_2samp(a, b)
    times.append(time.perf_counter() - t)
times.sort()
print("FIGURE scipy %s ks_2samp, 2 x 1,000,000 doubles: median %.1f ms (min %.1f) over 5 runs; D=%.10f p=%.6g"
      % (__import__("scipy").__version__, times[2] * 1e3, times[0] * 1e3, r.statistic, r.pvalue))
with open(os.path.join(out, "scipy-ms.txt"), "w") as f:
    f.write("%f\n" % (times[2] * 1e3))
