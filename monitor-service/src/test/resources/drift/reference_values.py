#!/usr/bin/env python3
"""Prints the reference values pasted as literals into the drift unit tests.

numpy 2.4.6 / scipy 1.17.1. Run: python3 reference_values.py
The golden cases themselves come from make_golden.py (golden.json)."""
import math
import numpy as np
from scipy import stats
from scipy.stats import kstwo
from scipy.spatial.distance import jensenshannon

# --- kstwo.sf(x, n): one point per branch of scipy.stats._ksstats._kolmogn (KolmogorovSmirnovTest)
print("== kstwo sf")
cases = []
def add(n, x): cases.append((n, x, float(kstwo.sf(x, n))))
# Ruben-Gambino small x (t<=1), n<=140 and n>140
add(10, 0.07); add(200, 0.004); 
# t >= n-1
add(10, 0.95); add(3, 0.7)
# x >= 0.5: 2*smirnov
add(20, 0.55); add(1000, 0.6)
# n<=140: DMTW (nx^2<=0.754693), Pomeranz (<=4), smirnov
add(50, 0.1); add(140, 0.05); add(50, 0.2); add(100, 0.15); add(30, 0.4); add(140, 0.3)
# n>140: smirnov (nx^2 >= 2.2), DMTW (n<=1e5, n x^1.5 <= 1.4), PelzGood, >=370 -> 0
add(1000, 0.05); add(6667, 0.02); add(5000, 0.01); add(100000, 0.0025); add(100001, 0.002)
add(500000, 0.001); add(500000, 0.0018); add(500000, 0.003); add(2000000, 0.0012); add(2000000, 0.002)
add(1000, 0.7); add(20000, 0.14)
for n, x, p in cases:
    print(f"        {{{n}, {x!r}, {p!r}}},")

PHI = 0.6180339887498949; SQ2 = 0.41421356237309515
def u(n): return np.array([i*PHI - math.floor(i*PHI) for i in range(1, n+1)])
def v(n): return np.array([j*SQ2 - math.floor(j*SQ2) for j in range(1, n+1)])
def w(n, a):
    x = v(n); return x + a*x*(1-x)
print("== kstwo cdf")
for n, x in [(50, 0.08), (140, 0.04), (5000, 0.008), (500000, 0.0009), (100, 0.12)]:
    print(f"        {{{n}, {x!r}, {float(kstwo.cdf(x, n))!r}}},")
print("== asymptotic ks_2samp")
for (n1, n2, a, scale) in [(12000, 15000, 0.03, 1.0), (3, 20000, 0.0, 1.0), (500, 10001, 0.1, 1.0), (20000, 20000, 0.0, 0.9), (10001, 9000, 0.02, 1.0)]:
    r = stats.ks_2samp(u(n1), w(n2, a)*scale)
    print(f"  n1={n1} n2={n2} a={a} scale={scale}: D={float(r.statistic)!r} p={float(r.pvalue)!r}")
print("== exact ks_2samp")
for (n1, n2, a) in [(300, 300, 0.1), (1, 1, 0.0), (1, 5, 0.0), (7, 13, 0.3), (10000, 9999, 0.02), (997, 1000, 0.05)]:
    r = stats.ks_2samp(u(n1), w(n2, a))
    print(f"  n1={n1} n2={n2} a={a}: D={float(r.statistic)!r} p={float(r.pvalue)!r}")
# ties across samples: integer buckets
a = np.floor(u(400)*7); b = np.floor(v(300)*7 + 0.5)
r = stats.ks_2samp(a, b); print(f"  ties floor(u*7) 400 vs floor(v*7+0.5) 300: D={float(r.statistic)!r} p={float(r.pvalue)!r}")
r = stats.ks_2samp([1.0,2.0,3.0],[1.0,2.0,3.0]); print("  same", float(r.statistic), float(r.pvalue))
r = stats.ks_2samp([0.0, -0.0, 1.0],[0.0, 2.0]); print("  zeros", float(r.statistic), float(r.pvalue))
r = stats.ks_2samp([-np.inf, 0.0, 1.0, np.inf],[0.5, 2.0, np.inf]); print("  infs", float(r.statistic), float(r.pvalue))
print("== wasserstein")
for (x, y) in [([0.0, 1.0, 3.0], [5.0, 6.0, 8.0]), ([1.0, 1.0, 2.0, 5.0], [1.0, 3.0, 3.0]), ([3.5], [1.25, 1.25, 7.0]), ([-0.0, 0.0, 2.0], [0.0, 1.0])]:
    print(f"  {x} {y}: {float(stats.wasserstein_distance(x, y))!r} std_ref={float(np.std(x))!r}")
print("== quantiles")
ref = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0, 9.0, 7.0, 9.0, 3.0, 2.0, 3.0, 8.0, 4.0, 6.0, 2.0, 6.0, 4.0, 3.0, 3.0, 8.0, 3.0, 2.0, 7.0, 9.5, 0.25, 2.5]
print("ref", ref, len(ref))
for B in [10, 7, 4, 100]:
    q = np.quantile(np.array(ref), np.linspace(0, 1, B+1)[1:-1])
    print(f"  B={B} edges={[float(t) for t in q]}")
cur = [3.0, 3.0, 2.0, 5.0, 9.0, 9.5, 10.0, -1.0, 0.25, 1.0, 4.4, 6.0, 8.0, 8.0, float('inf'), float('-inf'), 2.8, 7.0, 5.0, 1.0]
for B in [10, 7, 4]:
    q = np.quantile(np.array(ref), np.linspace(0, 1, B+1)[1:-1]); e = np.concatenate(([-np.inf], q, [np.inf]))
    h, _ = np.histogram(np.array(cur), e); print(f"  B={B} hist(cur)={h.tolist()} hist(ref)={np.histogram(np.array(ref), e)[0].tolist()}")
gauss = np.random.default_rng(7).normal(0, 1, 57)
print("gauss57", [float(t) for t in gauss])
for B in [10, 100]:
    q = np.quantile(gauss, np.linspace(0, 1, B+1)[1:-1]); print(f"  B={B} edges={[float(t) for t in q]}")
print("== binned distances")
p = [10.0, 20.0, 0.0, 30.0, 40.0]; q = [12.0, 18.0, 5.0, 25.0, 40.0]
print("js", float(jensenshannon(p, q, base=2)))
pn = np.array(p)/sum(p); qn = np.array(q)/sum(q)
print("hellinger", float(np.sqrt(np.sum((np.sqrt(pn)-np.sqrt(qn))**2))/np.sqrt(2)))
r = np.maximum(pn, 1e-4); c = np.maximum(qn, 1e-4)
print("psi floored", float(np.sum((c - r) * np.log(c / r))))
print("js floored", float(jensenshannon(r/r.sum(), c/c.sum(), base=2)))
print("== chisquare")
rc = np.array([50.0, 30.0, 20.0]); cc = np.array([40.0, 45.0, 15.0])
fexp = rc/rc.sum()*cc.sum(); res = stats.chisquare(cc, fexp); print("chi2", float(res.statistic), float(res.pvalue))
rc = np.array([500.0, 300.0, 200.0, 100.0]); cc = np.array([100.0, 300.0, 500.0, 700.0])
fexp = rc/rc.sum()*cc.sum(); res = stats.chisquare(cc, fexp); print("chi2 big", float(res.statistic), float(res.pvalue))
print("== BH")
ps = [0.01, 0.04, 0.03, 0.005, 0.5, 0.2, 0.04]
print([float(t) for t in stats.false_discovery_control(ps)])
print("== z (Evidently formula)")
from scipy.stats import norm
for (k1, n1, k2, n2) in [(30, 100, 45, 120), (500, 1000, 520, 1000), (0, 50, 10, 60)]:
    p1 = k1/n1; p2 = k2/n2; P = (p1*n1 + p2*n2)/(n1+n2); z = (p1-p2)/np.sqrt(P*(1-P)*(1/n1+1/n2))
    print(f"  {k1}/{n1} {k2}/{n2}: z={float(z)!r} p={float(2*(1-norm.cdf(abs(z))))!r}")
