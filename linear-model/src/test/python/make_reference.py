#!/usr/bin/env python3
"""Reference values for linear-model's tests (numpy + scipy, no sklearn).

Writes, next to the Java tests' resources (src/test/resources/reference/):
  classification.csv   300 rows, mixed types, target `churned` ("yes"/"no")
  regression.jsonl     250 rows, mixed types, target `y`
  reference.json       the fitted coefficients of each case, training-set metrics of those
                       fits, and standalone metric fixtures with their expected values

Run from the module directory:  python3 src/test/python/make_reference.py
Deterministic: numpy.random.default_rng(SEED). Re-running rewrites identical files.

The encoding and objectives mirror linear-model/README.md exactly:
  * number / integer / boolean (0/1) features are standardised with the training mean and the
    population std (ddof=0); a column whose values are all equal (min == max) is left out of the
    fit and gets coefficient 0;
  * string features are one-hot over their sorted categories, not standardised (a one-hot
    column that is constant is left out as well);
  * ridge:     minimise 1/2 * sum_i (y_i - b - z_i.w)^2 + l2/2 * ||w||^2     (b not penalised),
               solved with numpy.linalg.solve on the normal equations;
  * logistic:  minimise sum_i [log(1 + exp(eta_i)) - y_i * eta_i] + l2/2 * ||w||^2, eta = b + z.w,
               with scipy.optimize.minimize(method="BFGS", jac=analytic, gtol=1e-10), then checked
               against a few numpy Newton steps (reported, not used);
  * metrics as sklearn defines them (precision/recall/F1 0 when undefined, ROC AUC as the
    trapezoidal area of the ROC curve over distinct thresholds, log loss with p clipped to
    [1e-15, 1 - 1e-15], MAPE with |y| floored at float64 eps, R^2 with sklearn's force_finite).
"""
import csv
import json
import math
import os

import numpy as np
from scipy.optimize import minimize

SEED = 20240611
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "reference"))


# ---------------------------------------------------------------- data
def make_classification(rng, n=300):
    age = rng.integers(18, 81, size=n)
    income = np.round(rng.normal(50000, 15000, size=n), 2)
    score = np.round(rng.normal(0, 1, size=n), 4)
    member = rng.random(n) < 0.4
    plan = rng.choice(["basic", "plus", "pro"], size=n, p=[0.5, 0.3, 0.2])
    plan_effect = {"basic": 0.0, "plus": 0.4, "pro": -0.7}
    eta = (-0.5 + 0.03 * (age - 45) + 0.00002 * (income - 50000) + 0.8 * score
           + 0.6 * member + np.array([plan_effect[p] for p in plan]))
    y = rng.random(n) < 1 / (1 + np.exp(-eta))
    rows = []
    for i in range(n):
        rows.append({"age": int(age[i]), "income": float(income[i]), "score": float(score[i]),
                     "member": bool(member[i]), "plan": str(plan[i]), "region_code": 3,
                     "churned": "yes" if y[i] else "no"})
    return rows


def make_regression(rng, n=250):
    x1 = np.round(rng.normal(10, 3, size=n), 3)
    x2 = rng.integers(0, 20, size=n)
    flag = rng.random(n) < 0.3
    city = rng.choice(["east", "north", "south", "west"], size=n)
    city_effect = {"east": 1.0, "north": -2.0, "south": 0.5, "west": 0.0}
    y = (5 + 1.5 * x1 - 0.3 * x2 + 2.0 * flag + np.array([city_effect[c] for c in city])
         + rng.normal(0, 1.5, size=n))
    rows = []
    for i in range(n):
        rows.append({"x1": float(x1[i]), "x2": int(x2[i]), "flag": bool(flag[i]),
                     "city": str(city[i]), "const": 2.5, "y": round(float(y[i]), 6)})
    return rows


def write_csv(path, rows):
    cols = list(rows[0].keys())
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        for r in rows:
            w.writerow([("true" if r[c] else "false") if isinstance(r[c], bool) else r[c] for c in cols])


def write_jsonl(path, rows):
    with open(path, "w") as f:
        for r in rows:
            f.write(json.dumps(r) + "\n")


# ---------------------------------------------------------------- encoding
def encode(rows, features, types):
    """Returns (Z, kept_mask, feature_descriptions). Z has one column per encoded column."""
    cols, kept, described = [], [], []
    for name in features:
        t = types[name]
        if t == "string":
            cats = sorted({r[name] for r in rows})
            described.append({"name": name, "type": t, "categories": cats})
            for c in cats:
                col = np.array([1.0 if r[name] == c else 0.0 for r in rows])
                cols.append(col)
                kept.append(col.min() != col.max())
        else:
            x = np.array([float(r[name]) for r in rows])
            if x.min() == x.max():
                mean, std = float(x[0]), 0.0
                cols.append(np.zeros_like(x))
                kept.append(False)
            else:
                mean, std = float(np.mean(x)), float(np.std(x, ddof=0))
                cols.append((x - mean) / std)
                kept.append(True)
            described.append({"name": name, "type": t, "mean": mean, "std": std})
    return np.column_stack(cols), np.array(kept), described


def ridge(Z, y, l2):
    A = np.column_stack([np.ones(len(y)), Z])
    P = np.eye(A.shape[1]) * l2
    P[0, 0] = 0.0
    beta = np.linalg.solve(A.T @ A + P, A.T @ y)
    objective = 0.5 * np.sum((y - A @ beta) ** 2) + 0.5 * l2 * np.sum(beta[1:] ** 2)
    return beta, float(objective)


def logistic(Z, y, l2):
    A = np.column_stack([np.ones(len(y)), Z])
    pen = np.full(A.shape[1], l2)
    pen[0] = 0.0

    def f(beta):
        eta = A @ beta
        return np.sum(np.logaddexp(0.0, eta) - y * eta) + 0.5 * np.sum(pen * beta * beta)

    def g(beta):
        p = 1.0 / (1.0 + np.exp(-(A @ beta)))
        return A.T @ (p - y) + pen * beta

    res = minimize(f, np.zeros(A.shape[1]), jac=g, method="BFGS",
                   options={"gtol": 1e-10, "maxiter": 100000})
    beta = res.x
    # cross-check with Newton steps from the BFGS solution (not used for the reference)
    nb = beta.copy()
    for _ in range(5):
        p = 1.0 / (1.0 + np.exp(-(A @ nb)))
        H = A.T @ (A * (p * (1 - p))[:, None]) + np.diag(pen)
        nb = nb - np.linalg.solve(H, g(nb))
    return beta, float(f(beta)), {"bfgs_success": bool(res.success), "bfgs_iterations": int(res.nit),
                                  "grad_inf_norm": float(np.max(np.abs(g(beta)))),
                                  "max_abs_diff_vs_newton": float(np.max(np.abs(beta - nb)))}


def full_coefficients(beta, kept):
    coef = np.zeros(len(kept))
    coef[kept] = beta[1:]
    return float(beta[0]), [float(c) for c in coef]


# ---------------------------------------------------------------- metrics (sklearn's definitions)
def roc_auc(y, s):
    y = np.asarray(y, dtype=float)
    s = np.asarray(s, dtype=float)
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    distinct = np.where(np.diff(s))[0]
    idx = np.r_[distinct, len(y) - 1]
    tps = np.cumsum(y)[idx]
    fps = 1 + idx - tps
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    return float(np.trapezoid(tpr, fpr))


def classification_metrics(y, p, threshold):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    pred = (p >= threshold).astype(float)
    tp = float(np.sum((pred == 1) & (y == 1)))
    fp = float(np.sum((pred == 1) & (y == 0)))
    fn = float(np.sum((pred == 0) & (y == 1)))
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    q = np.clip(p, 1e-15, 1 - 1e-15)
    return {"accuracy": float(np.mean(pred == y)), "precision": precision, "recall": recall,
            "f1": f1, "roc_auc": roc_auc(y, p),
            "log_loss": float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))}


def regression_metrics(y, yhat):
    y = np.asarray(y, dtype=float)
    yhat = np.asarray(yhat, dtype=float)
    err = y - yhat
    sse = float(np.sum(err ** 2))
    sst = float(np.sum((y - np.mean(y)) ** 2))
    r2 = (1 - sse / sst) if sst != 0 else (1.0 if sse == 0 else 0.0)
    eps = np.finfo(np.float64).eps
    return {"mae": float(np.mean(np.abs(err))), "rmse": float(np.sqrt(np.mean(err ** 2))),
            "mape": float(np.mean(np.abs(err) / np.maximum(np.abs(y), eps))), "r2": r2}


# ---------------------------------------------------------------- the holdout split (DataSplit)
class JavaRandom:
    """java.util.Random, as its Javadoc specifies it (48-bit LCG)."""
    MASK = (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & self.MASK

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & self.MASK
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < 1 << 31:
                return val


def holdout_indices(n, fraction, seed):
    """Fisher-Yates from i = n-1 down to 1 swapping with next_int(i + 1); holdout = first ceil(f*n)."""
    k = math.ceil(n * fraction - 1e-9)
    perm = list(range(n))
    rnd = JavaRandom(seed)
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return sorted(perm[:k])


# ---------------------------------------------------------------- cases
def run_case(name, rows, types, task, target, features, l2, positive=None):
    Z, kept, described = encode(rows, features, types)
    if task == "regression":
        y = np.array([float(r[target]) for r in rows])
        beta, objective = ridge(Z[:, kept], y, l2)
        check = {}
    else:
        y = np.array([1.0 if r[target] == positive else 0.0 for r in rows])
        beta, objective, check = logistic(Z[:, kept], y, l2)
    intercept, coef = full_coefficients(beta, kept)
    eta = intercept + Z @ np.array(coef)
    if task == "regression":
        metrics = regression_metrics(y, eta)
    else:
        metrics = classification_metrics(y, 1 / (1 + np.exp(-eta)), 0.5)
    print(f"{name}: objective={objective:.12g} {check}")
    return {"name": name, "task": task, "target": target, "features": features, "l2": l2,
            "positive_label": positive, "intercept": intercept, "coefficients": coef,
            "objective": objective, "feature_descriptions": described,
            "training_metrics": metrics, "solver_check": check}


def main():
    rng = np.random.default_rng(SEED)
    os.makedirs(OUT, exist_ok=True)
    cls = make_classification(rng)
    reg = make_regression(rng)
    write_csv(os.path.join(OUT, "classification.csv"), cls)
    write_jsonl(os.path.join(OUT, "regression.jsonl"), reg)

    cls_types = {"age": "integer", "income": "number", "score": "number", "member": "boolean",
                 "plan": "string", "region_code": "integer"}
    reg_types = {"x1": "number", "x2": "integer", "flag": "boolean", "city": "string", "const": "number"}
    cases = [
        run_case("logistic_all_features", cls, cls_types, "binary-classification", "churned",
                 ["age", "income", "score", "member", "plan", "region_code"], 1.0, "yes"),
        run_case("logistic_numeric_small_l2", cls, cls_types, "binary-classification", "churned",
                 ["age", "income", "score"], 0.01, "yes"),
        run_case("ridge_all_features", reg, reg_types, "regression", "y",
                 ["x1", "x2", "flag", "city", "const"], 1.0),
        run_case("ols_numeric", reg, reg_types, "regression", "y", ["x1", "x2", "flag"], 0.0),
    ]

    # standalone metric fixtures: scores rounded to one decimal so that ties occur
    y_cls = (rng.random(60) < 0.45).astype(int)
    p_cls = np.round(np.clip(0.35 * y_cls + rng.random(60) * 0.65, 0, 1), 1)
    p_cls[0], p_cls[1] = 0.0, 1.0  # exercise the log-loss clip
    y_reg = np.round(rng.normal(3, 2, 40), 3)
    y_reg[0] = 0.0  # exercise the MAPE floor
    yhat_reg = np.round(y_reg + rng.normal(0, 0.8, 40), 3)
    fixtures = {
        "classification": {"y_true": [int(v) for v in y_cls], "y_score": [float(v) for v in p_cls],
                           "threshold": 0.5,
                           "expected": classification_metrics(y_cls, p_cls, 0.5),
                           "expected_threshold_0_3": classification_metrics(y_cls, p_cls, 0.3)},
        "regression": {"y_true": [float(v) for v in y_reg], "y_pred": [float(v) for v in yhat_reg],
                       "expected": regression_metrics(y_reg, yhat_reg)},
    }
    doc = {"generated_by": "src/test/python/make_reference.py (numpy %s, scipy %s), seed %d"
                           % (np.__version__, __import__("scipy").__version__, SEED),
           "cases": cases, "metric_fixtures": fixtures,
           "split_fixtures": [{"n": n, "holdout_fraction": f, "seed": seed,
                               "holdout_indices": holdout_indices(n, f, seed)}
                              for n, f, seed in [(10, 0.3, 42), (20, 0.25, 2024), (300, 0.2, 42), (7, 0.5, -3)]]}
    with open(os.path.join(OUT, "reference.json"), "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
