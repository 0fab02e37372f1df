#!/usr/bin/python3
"""Reference metrics for OnnxPredictorTest, computed by scikit-learn.

Reads ../resources/onnx/breast_cancer_logreg.expected.json (copied from onnx-model: 114 held-out rows
of scikit-learn's breast cancer table, the true labels, and scikit-learn's own predict_proba for them)
and writes ../resources/onnx/breast_cancer_logreg.sklearn-metrics.json: sklearn.metrics on those rows,
for the whole table and for the rows retrain holds out of it (linear-model's DataSplit with
holdout_fraction 0.2, seed 42). retrain must get the same numbers from the ONNX model run on ONNX
Runtime (up to float32 rounding).

Run: /usr/bin/python3 retrain-service/src/test/python/sklearn_reference_metrics.py
(Debian: apt-get install -y python3-sklearn). Running it again rewrites the same file.
"""
import json
import math
import os

import numpy as np
import sklearn
from sklearn import metrics

HERE = os.path.dirname(os.path.abspath(__file__))
ONNX = os.path.normpath(os.path.join(HERE, "..", "resources", "onnx"))


class JavaRandom:
    """java.util.Random (48-bit LCG), for linear-model's DataSplit."""
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
    k = math.ceil(n * fraction - 1e-9)
    perm = list(range(n))
    rnd = JavaRandom(seed)
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    return sorted(perm[:k])


def classification(y, p):
    predicted = (p >= 0.5).astype(int)
    return {
        "accuracy": metrics.accuracy_score(y, predicted),
        "precision": metrics.precision_score(y, predicted, zero_division=0),
        "recall": metrics.recall_score(y, predicted, zero_division=0),
        "f1": metrics.f1_score(y, predicted, zero_division=0),
        "roc_auc": metrics.roc_auc_score(y, p),
        "log_loss": metrics.log_loss(y, p, labels=[0, 1]),
    }


def main():
    with open(os.path.join(ONNX, "breast_cancer_logreg.expected.json")) as fh:
        expected = json.load(fh)
    y = np.asarray(expected["true_labels"], dtype=int)
    p = np.asarray(expected["outputs"]["output_probability"], dtype=np.float64)[:, 1]   # p(1), benign
    holdout = holdout_indices(len(y), 0.2, 42)
    out = {
        "generated_by": f"src/test/python/sklearn_reference_metrics.py (scikit-learn {sklearn.__version__}, numpy {np.__version__})",
        "source": "breast_cancer_logreg.expected.json: true_labels and scikit-learn's predict_proba (output_probability[:, 1])",
        "threshold": 0.5,
        "all_rows": {"rows": len(y), "metrics": {k: float(v) for k, v in classification(y, p).items()}},
        "holdout": {"holdout_fraction": 0.2, "seed": 42, "indices": holdout,
                    "metrics": {k: float(v) for k, v in classification(y[holdout], p[holdout]).items()}},
    }
    path = os.path.join(ONNX, "breast_cancer_logreg.sklearn-metrics.json")
    with open(path, "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
