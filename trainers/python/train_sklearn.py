#!/usr/bin/python3
"""A Flywheel trainer in Python: scikit-learn in, ONNX out, through the trainer contract.

    train_sklearn.py --dataset <file:// URI or path> --output <dir> --params <json>

Reads the training set (JSON Lines, one flat object per row: the features and the target column),
holds out exactly the rows retrain holds out (linear-model's DataSplit, ported below), fits

* binary-classification: StandardScaler + LogisticRegression(C),
* regression:            StandardScaler + Ridge(alpha),

and writes into <output>:

* model.onnx     the pipeline as ONNX, laid out node for node as skl2onnx lays it out (skl2onnx is
                 not packaged in Debian, so the graph is built with onnx.helper): one FP32 input
                 `float_input` [N, k] whose columns are the features in signature.json's order;
                 a classifier outputs `output_label` [N] and `output_probability` (a ZipMap: one
                 class -> probability map per row), a regression `variable` [N, 1];
* signature.json the features in the matrix's column order, with their types, and the model's output
                 (the graph's first output: `output_label`, or `variable` for a regression);
* metrics.json   the fit's metrics on the training rows and on the holdout (sklearn.metrics).

Progress goes to stdout. Exit codes: 0 done; 2 bad parameters or data, or a missing package (one
line on stderr saying what); 1 anything else (one line, then the traceback).

Parameters (the policy's trainer.params; any other key is refused):
  task              binary-classification | regression (required)
  target            the label column (required)
  features          the feature columns, in this order (default: every other column, as in the file)
  holdout_fraction  (0, 1), default 0.2;  seed: default 42 -- they fix the split
  C                 LogisticRegression's inverse regularisation, default 1.0
  max_iter          LogisticRegression's iterations, default 1000
  alpha             Ridge's regularisation, default 1.0

Features must be numbers or booleans (true = 1): the model takes one numeric matrix.
"""

import json
import math
import os
import sys
import time
import traceback
from urllib.parse import unquote, urlparse

APT_PACKAGES = "python3-sklearn python3-onnx"
PRODUCER = "flywheel trainers/python/train_sklearn.py"
IR_VERSION = 8          # what onnx 1.12 writes for opset 17; ONNX Runtime 1.29 reads it
OPSET = 17
ML_OPSET = 1            # Scaler, LinearClassifier, LinearRegressor, Normalizer, ZipMap: ai.onnx.ml v1
KNOWN_PARAMS = {"task", "target", "features", "holdout_fraction", "seed", "C", "max_iter", "alpha"}
TASKS = ("binary-classification", "regression")


class BadInput(Exception):
    """Bad parameters or data: exit 2 with the message."""


def say(message):
    print(message, flush=True)


# --------------------------------------------------------------------------- arguments

def parse_args(argv):
    args = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("--") and "=" in arg:
            key, value = arg[2:].split("=", 1)
        elif arg.startswith("--") and i + 1 < len(argv):
            key, value = arg[2:], argv[i + 1]
            i += 1
        else:
            raise BadInput(f"unexpected argument {arg!r}; usage: --dataset <uri> --output <dir> --params <json>")
        args[key] = value
        i += 1
    for required in ("dataset", "output", "params"):
        if required not in args:
            raise BadInput(f"--{required} is required; usage: --dataset <uri> --output <dir> --params <json>")
    unknown = set(args) - {"dataset", "output", "params"}
    if unknown:
        raise BadInput(f"unknown argument(s) {sorted(unknown)}; usage: --dataset <uri> --output <dir> --params <json>")
    return args


def local_path(uri_or_path, what):
    if "://" not in uri_or_path:
        return uri_or_path
    parsed = urlparse(uri_or_path)
    if parsed.scheme != "file":
        raise BadInput(f"{what} {uri_or_path}: only local paths and file:// URIs are read (the runner stages the data)")
    return unquote(parsed.path)


def read_params(text):
    if text.startswith("@"):
        with open(text[1:], encoding="utf-8") as fh:
            text = fh.read()
    try:
        params = json.loads(text)
    except ValueError as e:
        raise BadInput(f"--params is not JSON: {e}")
    if not isinstance(params, dict):
        raise BadInput("--params must be a JSON object")
    unknown = sorted(set(params) - KNOWN_PARAMS)
    if unknown:
        raise BadInput(f"unknown parameter(s) {unknown}; this trainer takes {sorted(KNOWN_PARAMS)}")
    if params.get("task") not in TASKS:
        raise BadInput("task is required: binary-classification or regression")
    if not isinstance(params.get("target"), str) or not params["target"]:
        raise BadInput("target is required (the label column)")
    fraction = params.get("holdout_fraction", 0.2)
    if isinstance(fraction, bool) or not isinstance(fraction, (int, float)) or not 0 < fraction < 1:
        raise BadInput("holdout_fraction must be a number > 0 and < 1")
    seed = params.get("seed", 42)
    if isinstance(seed, bool) or not isinstance(seed, (int, float)) or seed != int(seed):
        raise BadInput("seed must be a whole number")
    for name, default in (("C", 1.0), ("alpha", 1.0)):
        value = params.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
            raise BadInput(f"{name} must be a number > 0")
    max_iter = params.get("max_iter", 1000)
    if isinstance(max_iter, bool) or not isinstance(max_iter, int) or max_iter < 1:
        raise BadInput("max_iter must be a whole number >= 1")
    features = params.get("features")
    if features is not None and (not isinstance(features, list) or not features
                                 or not all(isinstance(f, str) and f for f in features)
                                 or len(set(features)) != len(features)):
        raise BadInput("features must be a non-empty list of distinct column names")
    return {"task": params["task"], "target": params["target"], "features": features,
            "holdout_fraction": float(fraction), "seed": int(seed), "C": float(params.get("C", 1.0)),
            "alpha": float(params.get("alpha", 1.0)), "max_iter": max_iter}


# --------------------------------------------------------------------------- data

def read_rows(path):
    rows, columns = [], []
    seen = set()
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        raise BadInput(f"can't read the dataset {path}: {e.strerror}")
    with fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as e:
                raise BadInput(f"line {number}: not JSON ({e})")
            if not isinstance(row, dict):
                raise BadInput(f"line {number}: not a JSON object")
            for key in row:
                if key not in seen:
                    seen.add(key)
                    columns.append(key)
            rows.append((number, row))
    if not rows:
        raise BadInput(f"the dataset {path} has no rows")
    return rows, columns


def column_type(rows, column):
    """number, integer or boolean over the non-missing values; BadInput for anything else."""
    kind = None
    for number, row in rows:
        value = row.get(column)
        if value is None:
            continue
        if isinstance(value, bool):
            this = "boolean"
        elif isinstance(value, int):
            this = "integer"
        elif isinstance(value, float):
            this = "number"
        else:
            raise BadInput(f"line {number}: feature '{column}' is {json.dumps(value)}; this trainer takes numbers and "
                           f"booleans only (the ONNX model takes one numeric matrix): leave the column out with "
                           f"trainer.params.features")
        if kind is None or kind == this:
            kind = this
        elif {kind, this} == {"integer", "number"}:
            kind = "number"
        else:
            raise BadInput(f"line {number}: feature '{column}' mixes {kind} and {this} values")
    if kind is None:
        raise BadInput(f"feature '{column}' has no values")
    return kind


def matrix(rows, features, np):
    X = np.empty((len(rows), len(features)), dtype=np.float64)
    for r, (number, row) in enumerate(rows):
        for c, feature in enumerate(features):
            value = row.get(feature)
            if value is None:
                raise BadInput(f"line {number}: feature '{feature}' is missing")
            X[r, c] = float(value)
    return X


def target_values(rows, target, task, np):
    values = []
    for number, row in rows:
        value = row.get(target)
        if value is None:
            raise BadInput(f"line {number}: target '{target}' is missing")
        if task == "regression":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise BadInput(f"line {number}: target '{target}' must be a finite number, got {json.dumps(value)}")
            values.append(float(value))
        else:
            if isinstance(value, float) and value == int(value):
                value = int(value)
            if not isinstance(value, (str, int, bool)):
                raise BadInput(f"line {number}: target '{target}' is {json.dumps(value)}; a class is a string, integer or boolean")
            values.append(value)
    if task == "regression":
        return np.asarray(values, dtype=np.float64)
    kinds = {type(v) for v in values}
    if len(kinds) > 1:
        raise BadInput(f"target '{target}' mixes {sorted(k.__name__ for k in kinds)} values")
    classes = sorted(set(values))
    if len(classes) != 2:
        raise BadInput(f"target '{target}' must have exactly two classes for binary-classification, found {classes[:10]}")
    if kinds == {bool}:
        return np.asarray(values, dtype=bool)
    if kinds == {int}:
        return np.asarray(values, dtype=np.int64)
    return np.asarray(values, dtype=object)


# --------------------------------------------------------------------------- the split (linear-model's DataSplit)

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


def holdout_mask(n, fraction, seed):
    """DataSplit.holdoutMask: Fisher-Yates from n-1 down to 1 with java.util.Random(seed); the first
    ceil(fraction * n) of the permutation are held out. Retrain evaluates on exactly these rows."""
    size = math.ceil(n * fraction - 1e-9)
    if 0 < size >= n:
        raise BadInput(f"a holdout_fraction of {fraction} of {n} rows leaves no rows to train on")
    perm = list(range(n))
    rnd = JavaRandom(seed)
    for i in range(n - 1, 0, -1):
        j = rnd.next_int(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    mask = [False] * n
    for k in range(size):
        mask[perm[k]] = True
    return mask


# --------------------------------------------------------------------------- ONNX, as skl2onnx lays it out

def scaler_node(helper, scaler):
    return helper.make_node("Scaler", ["float_input"], ["variable"], name="Scaler", domain="ai.onnx.ml",
                            offset=scaler.mean_.astype(float).tolist(),
                            scale=(1.0 / scaler.scale_).astype(float).tolist())


def classifier_graph(onnx, helper, TensorProto, scaler, clf, k):
    """Scaler -> LinearClassifier(coefficients [-w, w], intercepts [-b, b], multi_class=1, LOGISTIC)
    -> Normalizer(L1) -> ZipMap, the label through Cast: skl2onnx 1.x's binary LogisticRegression."""
    coef = clf.coef_.flatten().astype(float).tolist()
    intercept = clf.intercept_.astype(float).tolist()
    classes = list(clf.classes_)
    strings = not all(isinstance(c, (int, bool)) or hasattr(c, "dtype") and c.dtype.kind in "iub" for c in classes)
    if strings:
        labels = {"classlabels_strings": [str(c) for c in classes]}
        label_type, key_type = TensorProto.STRING, TensorProto.STRING
    else:
        labels = {"classlabels_ints": [int(c) for c in classes]}
        label_type, key_type = TensorProto.INT64, TensorProto.INT64
    nodes = [
        scaler_node(helper, scaler),
        helper.make_node("LinearClassifier", ["variable"], ["label", "probability_tensor"], name="LinearClassifier",
                         domain="ai.onnx.ml", coefficients=[-c for c in coef] + coef,
                         intercepts=[-i for i in intercept] + intercept, multi_class=1, post_transform="LOGISTIC",
                         **labels),
        helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"], name="Normalizer",
                         domain="ai.onnx.ml", norm="L1"),
    ]
    if strings:
        nodes.append(helper.make_node("Identity", ["label"], ["output_label"], name="Identity"))
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap",
                                      domain="ai.onnx.ml", classlabels_strings=labels["classlabels_strings"]))
    else:
        nodes.append(helper.make_node("Cast", ["label"], ["output_label"], name="Cast", to=TensorProto.INT64))
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"], name="ZipMap",
                                      domain="ai.onnx.ml", classlabels_int64s=labels["classlabels_ints"]))
    map_type = onnx.TypeProto()
    map_type.map_type.key_type = key_type
    map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, None))
    outputs = [helper.make_tensor_value_info("output_label", label_type, [None]),
               helper.make_value_info("output_probability", helper.make_sequence_type_proto(map_type))]
    inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, k])]
    return helper.make_graph(nodes, "pipeline_logreg", inputs, outputs)


def regressor_graph(helper, TensorProto, scaler, reg, k):
    """Scaler -> LinearRegressor: skl2onnx 1.x's Ridge / LinearRegression (output `variable` [N, 1])."""
    nodes = [
        helper.make_node("Scaler", ["float_input"], ["scaled"], name="Scaler", domain="ai.onnx.ml",
                         offset=scaler.mean_.astype(float).tolist(), scale=(1.0 / scaler.scale_).astype(float).tolist()),
        helper.make_node("LinearRegressor", ["scaled"], ["variable"], name="LinearRegressor", domain="ai.onnx.ml",
                         coefficients=reg.coef_.flatten().astype(float).tolist(),
                         intercepts=[float(reg.intercept_)]),
    ]
    inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, k])]
    outputs = [helper.make_tensor_value_info("variable", TensorProto.FLOAT, [None, 1])]
    return helper.make_graph(nodes, "pipeline_ridge", inputs, outputs)


def onnx_model(onnx, helper, graph, doc):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
                              producer_name=PRODUCER, producer_version="1", doc_string=doc)
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    return model


# --------------------------------------------------------------------------- metrics (as retrain computes them)

def classification_metrics(y_positive, p, sk):
    predicted = (p >= 0.5).astype(int)
    both = len(set(y_positive.tolist())) == 2
    return {
        "accuracy": float(sk.accuracy_score(y_positive, predicted)),
        "precision": float(sk.precision_score(y_positive, predicted, zero_division=0)),
        "recall": float(sk.recall_score(y_positive, predicted, zero_division=0)),
        "f1": float(sk.f1_score(y_positive, predicted, zero_division=0)),
        "roc_auc": float(sk.roc_auc_score(y_positive, p)) if both else None,
        "log_loss": float(sk.log_loss(y_positive, p, labels=[0, 1])),
    }


def regression_metrics(y, yhat, sk):
    return {
        "mae": float(sk.mean_absolute_error(y, yhat)),
        "rmse": float(math.sqrt(sk.mean_squared_error(y, yhat))),
        "mape": float(sk.mean_absolute_percentage_error(y, yhat)),
        "r2": float(sk.r2_score(y, yhat)) if len(y) > 1 else None,
    }


# --------------------------------------------------------------------------- main

def import_packages():
    missing = []
    modules = {}
    for module in ("numpy", "sklearn", "onnx"):
        try:
            modules[module] = __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise BadInput(f"missing Python package(s) {', '.join(missing)} for {sys.executable}: "
                       f"sudo apt-get install -y {APT_PACKAGES}")
    return modules


def write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as fh:
        fh.write(data)
    os.replace(temporary, path)


def train(args):
    params = read_params(args["params"])
    packages = import_packages()
    np, sklearn, onnx = packages["numpy"], packages["sklearn"], packages["onnx"]
    from onnx import TensorProto, helper
    from sklearn import metrics as sk
    from sklearn.linear_model import LogisticRegression, Ridge
    from sklearn.preprocessing import StandardScaler

    dataset = local_path(args["dataset"], "dataset")
    output = local_path(args["output"], "output")
    if os.path.exists(output) and not os.path.isdir(output):
        raise BadInput(f"output {output} exists and is not a directory")
    say(f"reading {dataset}")
    rows, columns = read_rows(dataset)
    target, task = params["target"], params["task"]
    if target not in columns:
        raise BadInput(f"target '{target}' is not a column of the dataset (columns: {columns})")
    features = params["features"] or [c for c in columns if c != target]
    for feature in features:
        if feature not in columns:
            raise BadInput(f"feature '{feature}' is not a column of the dataset (columns: {columns})")
        if feature == target:
            raise BadInput(f"the target '{target}' can't be a feature")
    types = {f: column_type(rows, f) for f in features}
    X = matrix(rows, features, np).astype(np.float32)   # what the ONNX model sees: float32
    y = target_values(rows, target, task, np)
    say(f"read {len(rows)} rows; features {features}; target {target} ({task})")

    mask = np.asarray(holdout_mask(len(rows), params["holdout_fraction"], params["seed"]))
    X_train, y_train, X_hold, y_hold = X[~mask], y[~mask], X[mask], y[mask]
    say(f"split: {len(y_train)} rows to train, {len(y_hold)} held out (holdout_fraction {params['holdout_fraction']}, "
        f"seed {params['seed']}: linear-model's DataSplit)")

    scaler = StandardScaler().fit(X_train)
    started = time.monotonic()
    if task == "binary-classification":
        if len(set(y_train.tolist())) < 2:
            raise BadInput(f"the training rows hold one class of '{target}' only")
        model = LogisticRegression(C=params["C"], max_iter=params["max_iter"]).fit(scaler.transform(X_train), y_train)
        say(f"fitted LogisticRegression(C={params['C']}) in {model.n_iter_[0]} iterations, {time.monotonic() - started:.2f} s")
        positive = model.classes_[-1]     # sklearn orders classes; predict_proba's last column is the greatest

        def scores(X_part):
            return model.predict_proba(scaler.transform(X_part))[:, 1]

        def evaluate(X_part, y_part):
            return classification_metrics((y_part == positive).astype(int), scores(X_part), sk)

        graph = classifier_graph(onnx, helper, TensorProto, scaler, model, len(features))
        doc = f"StandardScaler + LogisticRegression(C={params['C']}), classes {[str(c) for c in model.classes_]}"
    else:
        model = Ridge(alpha=params["alpha"]).fit(scaler.transform(X_train), y_train)
        say(f"fitted Ridge(alpha={params['alpha']}) in {time.monotonic() - started:.2f} s")

        def evaluate(X_part, y_part):
            return regression_metrics(y_part, model.predict(scaler.transform(X_part)), sk)

        graph = regressor_graph(helper, TensorProto, scaler, model, len(features))
        doc = f"StandardScaler + Ridge(alpha={params['alpha']})"

    training = evaluate(X_train, y_train)
    holdout = evaluate(X_hold, y_hold) if len(y_hold) else None
    say(f"training metrics {training}")
    say(f"holdout metrics {holdout}")

    model_proto = onnx_model(onnx, helper, graph, doc + ", laid out as skl2onnx 1.x writes it")
    # the version's output is the graph's first output (docs/CONTRACTS.md, "Model formats"): the label, or the value
    if task == "binary-classification":
        strings = any(isinstance(c, str) for c in model.classes_.tolist())
        output_spec = {"name": "output_label", "type": "string" if strings else "integer"}
    else:
        output_spec = {"name": "variable", "type": "number"}
    signature = {"inputs": [{"name": f, "type": types[f]} for f in features], "output": output_spec}
    metrics = {"format": "flywheel-metrics/v1", "task": task, "model": "model.onnx",
               "framework": "scikit-learn", "framework_version": sklearn.__version__, "seed": params["seed"],
               "holdout_fraction": params["holdout_fraction"],
               "rows": {"dataset": len(rows), "train": int(len(y_train)), "holdout": int(len(y_hold))},
               "training": training, "holdout": holdout}
    os.makedirs(output, exist_ok=True)
    write_atomically(os.path.join(output, "model.onnx"), model_proto.SerializeToString())
    write_atomically(os.path.join(output, "signature.json"), (json.dumps(signature, indent=2) + "\n").encode())
    write_atomically(os.path.join(output, "metrics.json"), (json.dumps(metrics, indent=2) + "\n").encode())
    say(f"wrote {os.path.join(output, 'model.onnx')}, signature.json and metrics.json")


def main(argv):
    try:
        train(parse_args(argv))
        return 0
    except BadInput as e:
        print(f"error: {e}", file=sys.stderr, flush=True)
        return 2
    except Exception as e:  # a bug or an I/O failure: one line first (the runner reports it), then the trace
        print(f"error: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
        traceback.print_exc()
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
