#!/usr/bin/python3
"""Makes the small real ONNX models (and their expected outputs) that onnx-model's tests load.

Every model is trained by its own framework on real (or fixed-seed synthetic) data and written as
ONNX; next to each <name>.onnx goes <name>.expected.json holding held-out input rows and the
outputs the FRAMEWORK itself computed for them (predict / predict_proba / torch forward), never a
re-evaluation of the ONNX graph. The Java tests run the .onnx files on ONNX Runtime and compare.

skl2onnx / onnxmltools are not installable here (no PyPI), so the scikit-learn and XGBoost graphs
are written with onnx.helper, laid out node for node as those converters lay them out:

* LogisticRegression in a Pipeline after a StandardScaler, as skl2onnx 1.x writes a binary
  LogisticRegression(multi_class='auto'): Scaler -> LinearClassifier (coefficients [-w, w],
  intercepts [-b, b], multi_class=1, post_transform LOGISTIC) -> Normalizer(L1) -> ZipMap, the label
  passing through Cast(to=INT64) into output_label. With zipmap=False the outputs are the
  classifier's own: label (INT64) and probabilities (FLOAT [N, 2]).
* XGBClassifier(binary:logistic) as onnxmltools writes it: one TreeEnsembleClassifier, trees read
  from booster.get_dump(dump_format='json'), node ids renumbered depth-first per tree, BRANCH_LT
  (xgboost sends x < split_condition to "yes"), missing values follow xgboost's "missing" child,
  every leaf votes for class id 0, base_values = [logit(base_score)], post_transform LOGISTIC,
  classlabels_int64s [0, 1]; outputs label (INT64 [N]) and probabilities (FLOAT [N, 2]).

Run (Debian 12, as root):
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-torch python3-sklearn \
      python3-xgboost python3-onnx python3-numpy
  /usr/bin/python3 onnx-model/scripts/make_models.py

The German credit data comes from Debian's weka package (credit-g.arff); the script looks for it
in the usual places and, failing that, runs `apt-get download weka` and unpacks the .deb in a
temporary folder (weka is not installed). --credit-arff PATH points at a copy explicitly.
"""

import argparse
import csv
import glob
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import numpy as np

import onnx
from onnx import TensorProto, helper

import sklearn
from sklearn.datasets import load_breast_cancer, make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

import torch
import xgboost

SEED = 20240601
IR_VERSION = 8          # what onnx 1.12 writes for opset 17; ONNX Runtime 1.29 reads it
OPSET = 17              # default domain; the highest torch 1.13 exports
ML_OPSET_LINEAR = 1     # skl2onnx: Scaler, LinearClassifier, Normalizer, ZipMap are ai.onnx.ml v1
ML_OPSET_TREES = 3      # TreeEnsembleClassifier v3 (onnx 1.12 knows ai.onnx.ml up to 3)
ML_OPSET_TYPED = 2      # LabelEncoder v2 (keys_strings -> values_floats)
PRODUCER = "flywheel onnx-model/scripts/make_models.py"

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.normpath(os.path.join(HERE, "..", "src", "test", "resources", "onnx"))

ONNX_TYPE_NAMES = {
    TensorProto.FLOAT: "float", TensorProto.DOUBLE: "double", TensorProto.INT64: "int64",
    TensorProto.INT32: "int32", TensorProto.BOOL: "bool", TensorProto.STRING: "string",
}


# --------------------------------------------------------------------------- small helpers

def pkg_version(name):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", name],
                             capture_output=True, text=True, check=False)
        return out.stdout.strip() or None
    except OSError:
        return None


def debian_packages():
    pk = ["python3-torch", "python3-sklearn", "python3-xgboost", "python3-onnx", "python3-numpy"]
    return {p: pkg_version(p) for p in pk}


def torch_framework():
    """torch.__version__ of Debian's python3-torch 1.13.1 reads 1.13.0a0: name the release."""
    deb = pkg_version("python3-torch")
    if deb:
        upstream = deb.split(":")[-1].split("+")[0].split("-")[0]
        return f"torch {upstream}"
    return f"torch {torch.__version__}"


def f32(a):
    """Values as float32, returned as float64 so that json writes them exactly."""
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def rows(a):
    return np.asarray(a).tolist()


def describe_type(tp):
    """A readable description of a ValueInfo's TypeProto (declared types only, nothing is run)."""
    which = tp.WhichOneof("value")
    if which == "tensor_type":
        tt = tp.tensor_type
        elem = ONNX_TYPE_NAMES.get(tt.elem_type, str(tt.elem_type))
        if not tt.HasField("shape"):
            return {"kind": "tensor", "type": elem, "shape": None}
        dims = []
        for d in tt.shape.dim:
            if d.HasField("dim_value"):
                dims.append(d.dim_value)
            elif d.HasField("dim_param"):
                dims.append(d.dim_param)
            else:
                dims.append(None)
        return {"kind": "tensor", "type": elem, "shape": dims}
    if which == "sequence_type":
        return {"kind": "sequence", "element": describe_type(tp.sequence_type.elem_type)}
    if which == "map_type":
        return {"kind": "map", "key": ONNX_TYPE_NAMES.get(tp.map_type.key_type),
                "value": describe_type(tp.map_type.value_type)}
    return {"kind": which}


def dump_json(obj, indent=0):
    """JSON with one line per row: lists of scalars are written compactly."""
    pad, inner = " " * indent, " " * (indent + 1)
    if isinstance(obj, dict) and obj:
        items = [f"{inner}{json.dumps(k)}: {dump_json(v, indent + 1)}" for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list) and any(isinstance(v, (list, dict)) for v in obj):
        items = [inner + dump_json(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj, separators=(", ", ": "))


def finish_model(graph, opsets, doc):
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid(domain, version) for domain, version in opsets],
        producer_name=PRODUCER, producer_version="1", doc_string=doc)
    model.ir_version = IR_VERSION
    return model


def save_model(model, out_dir, name):
    onnx.checker.check_model(model)
    path = os.path.join(out_dir, name)
    with open(path, "wb") as fh:
        fh.write(model.SerializeToString())
    # the saved file, read back and checked again (catches anything lost in serialization)
    onnx.checker.check_model(onnx.load(path))
    return path


def write_expected(out_dir, onnx_name, framework, inputs, outputs, notes,
                   feature_names=None, extra=None):
    path = os.path.join(out_dir, onnx_name)
    model = onnx.load(path)
    doc = {
        "model": onnx_name,
        "framework": framework,
        "debian_packages": debian_packages(),
        "ir_version": model.ir_version,
        "opset_imports": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
        "producer_name": model.producer_name,
        "graph_inputs": {vi.name: describe_type(vi.type) for vi in model.graph.input},
        "graph_outputs": {vi.name: describe_type(vi.type) for vi in model.graph.output},
        "nodes": [(n.domain + ":" if n.domain else "") + n.op_type for n in model.graph.node],
        "rows": len(next(iter(inputs.values()))),
        "inputs": inputs,
        "outputs": outputs,
        "tolerance": 1e-5,
        "notes": notes,
        "file_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
        "file_bytes": os.path.getsize(path),
    }
    if feature_names is not None:
        doc["feature_names"] = list(feature_names)
    if extra:
        doc.update(extra)
    exp = os.path.join(out_dir, onnx_name[:-len(".onnx")] + ".expected.json")
    with open(exp, "w") as fh:
        fh.write(dump_json(doc) + "\n")
    print(f"  wrote {onnx_name} ({doc['file_bytes']} bytes) and {os.path.basename(exp)} "
          f"({doc['rows']} rows)")


# --------------------------------------------------------------------------- data

def find_credit_arff(explicit):
    if explicit:
        return explicit
    candidates = ["/usr/share/doc/weka/examples/credit-g.arff",
                  "/tmp/weka/usr/share/doc/weka/examples/credit-g.arff"]
    candidates += glob.glob("/tmp/weka/**/credit-g.arff", recursive=True)
    for c in candidates:
        if os.path.isfile(c):
            return c
    return None


def read_arff_text(explicit):
    path = find_credit_arff(explicit)
    if path:
        return open(path, encoding="latin-1").read(), path
    # Inside a weka jar already unpacked somewhere?
    for jar in glob.glob("/tmp/weka/usr/share/java/*.jar"):
        with zipfile.ZipFile(jar) as zf:
            for n in zf.namelist():
                if n.endswith("credit-g.arff"):
                    return zf.read(n).decode("latin-1"), f"{jar}!{n}"
    # Fetch Debian's weka package (not installed: only unpacked in a temporary folder).
    tmp = tempfile.mkdtemp(prefix="weka-deb-")
    try:
        print("  credit-g.arff not found: running apt-get download weka in", tmp)
        subprocess.run(["apt-get", "download", "weka"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        deb = glob.glob(os.path.join(tmp, "weka_*.deb"))[0]
        subprocess.run(["dpkg-deb", "-x", deb, os.path.join(tmp, "x")], check=True)
        found = glob.glob(os.path.join(tmp, "x", "**", "credit-g.arff"), recursive=True)
        if found:
            return open(found[0], encoding="latin-1").read(), \
                "weka .deb (" + os.path.basename(deb) + "): " + found[0].split("/x/", 1)[1]
        for jar in glob.glob(os.path.join(tmp, "x", "**", "*.jar"), recursive=True):
            with zipfile.ZipFile(jar) as zf:
                for n in zf.namelist():
                    if n.endswith("credit-g.arff"):
                        return zf.read(n).decode("latin-1"), \
                            f"weka .deb ({os.path.basename(deb)}): {os.path.basename(jar)}!{n}"
        raise SystemExit("credit-g.arff is not in the weka package")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def parse_arff(text):
    """Minimal ARFF reader: nominal and numeric attributes, comma-separated rows, ' quoting."""
    attrs = []      # (name, None for numeric | [categories in declared order])
    data = []
    in_data = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("%"):
            continue
        low = line.lower()
        if not in_data:
            if low.startswith("@attribute"):
                rest = line[len("@attribute"):].strip()
                if rest.startswith("'"):
                    end = rest.index("'", 1)
                    name, spec = rest[1:end], rest[end + 1:].strip()
                else:
                    name, spec = rest.split(None, 1)
                if spec.startswith("{"):
                    inner = spec[1:spec.rindex("}")]
                    cats = next(csv.reader(io.StringIO(inner), quotechar="'",
                                           skipinitialspace=True))
                    attrs.append((name, [c.strip() for c in cats]))
                else:
                    attrs.append((name, None))
            elif low.startswith("@data"):
                in_data = True
            continue
        vals = next(csv.reader(io.StringIO(line), quotechar="'", skipinitialspace=True))
        if len(vals) != len(attrs):
            raise ValueError(f"row has {len(vals)} values, header {len(attrs)}: {line}")
        data.append([v.strip() for v in vals])
    return attrs, data


def load_credit(explicit_arff):
    text, where = read_arff_text(explicit_arff)
    print(f"  credit data read from {where}")
    attrs, data = parse_arff(text)
    assert attrs[-1][0] == "class" and attrs[-1][1] == ["good", "bad"], attrs[-1]
    features = attrs[:-1]
    X = np.zeros((len(data), len(features)), dtype=np.float64)
    encoding = {}
    for j, (name, cats) in enumerate(features):
        if cats is None:
            X[:, j] = [float(r[j]) for r in data]
        else:
            code = {c: i for i, c in enumerate(cats)}
            encoding[name] = code
            X[:, j] = [code[r[j]] for r in data]
    y = np.array([1 if r[-1] == "bad" else 0 for r in data], dtype=np.int64)
    info = {
        "source": "credit-g.arff as shipped in Debian 12's weka package "
                  "(usr/share/doc/weka/examples/credit-g.arff), the UCI Statlog German credit data",
        "sha256": hashlib.sha256(text.encode("latin-1")).hexdigest(),
        "rows": len(data),
    }
    return X, y, [n for n, _ in features], encoding, data, info


# --------------------------------------------------------------------------- 1+2: logistic regression

def logreg_graph(pipe, n_features, zipmap):
    scaler = pipe.named_steps["scaler"]
    clf = pipe.named_steps["logreg"]
    assert list(clf.classes_) == [0, 1]
    coef = clf.coef_.flatten().astype(float).tolist()
    intercept = clf.intercept_.tolist()
    # skl2onnx, binary case: one row per class, the first the negation of the second.
    coefficients = [-c for c in coef] + coef
    intercepts = [-i for i in intercept] + intercept
    nodes = [
        helper.make_node("Scaler", ["float_input"], ["variable"], name="Scaler",
                         domain="ai.onnx.ml",
                         offset=scaler.mean_.astype(float).tolist(),
                         scale=(1.0 / scaler.scale_).astype(float).tolist()),
    ]
    label = "label"
    nodes.append(helper.make_node(
        "LinearClassifier", ["variable"], [label, "probability_tensor"],
        name="LinearClassifier", domain="ai.onnx.ml",
        classlabels_ints=[int(c) for c in clf.classes_],
        coefficients=coefficients, intercepts=intercepts,
        multi_class=1, post_transform="LOGISTIC"))
    nodes.append(helper.make_node("Normalizer", ["probability_tensor"], ["probabilities"],
                                  name="Normalizer", domain="ai.onnx.ml", norm="L1"))
    inputs = [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, n_features])]
    if zipmap:
        nodes.append(helper.make_node("Cast", [label], ["output_label"], name="Cast",
                                      to=TensorProto.INT64))
        nodes.append(helper.make_node("ZipMap", ["probabilities"], ["output_probability"],
                                      name="ZipMap", domain="ai.onnx.ml",
                                      classlabels_int64s=[int(c) for c in clf.classes_]))
        map_type = onnx.TypeProto()
        map_type.map_type.key_type = TensorProto.INT64
        map_type.map_type.value_type.CopyFrom(helper.make_tensor_type_proto(TensorProto.FLOAT, None))
        seq_type = helper.make_sequence_type_proto(map_type)
        outputs = [helper.make_tensor_value_info("output_label", TensorProto.INT64, [None]),
                   helper.make_value_info("output_probability", seq_type)]
    else:
        outputs = [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
                   helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])]
    name = "pipeline_logreg" + ("" if zipmap else "_nozipmap")
    return helper.make_graph(nodes, name, inputs, outputs)


def make_breast_cancer(out_dir):
    print("breast cancer: StandardScaler + LogisticRegression")
    ds = load_breast_cancer()
    X = f32(ds.data)          # what the ONNX model will see: float32
    y = ds.target.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
    pipe = Pipeline([("scaler", StandardScaler()),
                     ("logreg", LogisticRegression(max_iter=5000, random_state=SEED))])
    pipe.fit(X_tr, y_tr)
    proba = pipe.predict_proba(X_te)
    label = pipe.predict(X_te)
    acc = float((label == y_te).mean())
    print(f"  held-out accuracy {acc:.4f} on {len(y_te)} rows")

    # Self-check of the attributes written (numpy, float32 like the runtime): catches a wrong
    # sign or scale before the files are written. The stored outputs remain sklearn's.
    sc, clf = pipe.named_steps["scaler"], pipe.named_steps["logreg"]
    z = ((X_te.astype(np.float32) - sc.mean_.astype(np.float32)) *
         (1.0 / sc.scale_).astype(np.float32)) @ clf.coef_[0].astype(np.float32) + \
        np.float32(clf.intercept_[0])
    p1 = 1.0 / (1.0 + np.exp(-z.astype(np.float64)))
    assert np.max(np.abs(p1 - proba[:, 1])) < 1e-5, np.max(np.abs(p1 - proba[:, 1]))

    framework = f"scikit-learn {sklearn.__version__}"
    common = dict(
        feature_names=list(ds.feature_names),
        extra={
            "classes": [0, 1],
            "class_names": list(ds.target_names),   # 0 malignant, 1 benign
            "held_out_accuracy": acc,
            "training": {"rows": int(len(y_tr)), "split": f"train_test_split(test_size=0.2, "
                         f"random_state={SEED}, stratify=y)", "model":
                         "Pipeline(StandardScaler, LogisticRegression(max_iter=5000))"},
            "true_labels": rows(y_te),
        })
    ins = {"float_input": rows(X_te)}

    for zipmap in (True, False):
        name = "breast_cancer_logreg.onnx" if zipmap else "breast_cancer_logreg_nozipmap.onnx"
        graph = logreg_graph(pipe, X.shape[1], zipmap)
        model = finish_model(graph, [("", OPSET), ("ai.onnx.ml", ML_OPSET_LINEAR)],
                             "sklearn Pipeline(StandardScaler, LogisticRegression) on "
                             "load_breast_cancer, laid out as skl2onnx 1.x writes it"
                             + ("" if zipmap else " with zipmap=False"))
        save_model(model, out_dir, name)
        if zipmap:
            outs = {"output_label": rows(label), "output_probability": rows(proba)}
            notes = ("sklearn Pipeline(StandardScaler, LogisticRegression) on scikit-learn's breast "
                     "cancer table (569 x 30), held-out rows. Graph laid out as skl2onnx 1.x lays out "
                     "a binary LogisticRegression(multi_class='auto'): Scaler(offset=mean_, "
                     "scale=1/scale_) -> LinearClassifier(coefficients [-w, w], intercepts [-b, b], "
                     "multi_class=1, post_transform LOGISTIC) -> Normalizer(L1) -> ZipMap("
                     "classlabels_int64s [0,1]); the classifier's label goes through Cast(to=INT64) "
                     "to output_label. output_label is INT64 [N]. output_probability is a "
                     "sequence(map(int64, float)) with one map {0: p0, 1: p1} per row; HERE it is "
                     "stored as a list of lists in class order [p(0), p(1)] (p(1) = benign). "
                     "Expected values are sklearn's predict / predict_proba (float64) on the "
                     "float32-rounded inputs. Newer skl2onnx (>= 1.17) omits the Normalizer for this "
                     "case; the probabilities are the same.")
        else:
            outs = {"label": rows(label), "probabilities": rows(proba)}
            notes = ("Same model as breast_cancer_logreg.onnx laid out as skl2onnx writes it with "
                     "options {zipmap: False}: Scaler -> LinearClassifier -> Normalizer(L1); outputs "
                     "label INT64 [N] straight from LinearClassifier and probabilities FLOAT [N, 2] "
                     "in class order [p(0), p(1)] (p(1) = benign). Expected values are sklearn's "
                     "predict / predict_proba on the float32-rounded inputs.")
        write_expected(out_dir, name, framework, ins, outs, notes, **common)


# --------------------------------------------------------------------------- trees (XGBoost)

def xgb_base_score(booster):
    cfg = json.loads(booster.save_config())
    return float(cfg["learner"]["learner_model_param"]["base_score"])


def xgb_tree_attributes(booster):
    """TreeEnsembleClassifier attributes from booster.get_dump(dump_format='json'), as onnxmltools."""
    attrs = {k: [] for k in ("nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_modes",
                             "nodes_values", "nodes_truenodeids", "nodes_falsenodeids",
                             "nodes_missing_value_tracks_true", "class_treeids", "class_nodeids",
                             "class_ids", "class_weights")}
    trees = [json.loads(s) for s in booster.get_dump(with_stats=True, dump_format="json")]

    def remap_ids(node, remap):
        remap[node["nodeid"]] = len(remap)
        for ch in node.get("children", []):
            remap_ids(ch, remap)
        return remap

    def feature_index(split):
        if isinstance(split, str) and split.startswith("f"):
            return int(split[1:])
        return int(float(split))

    def fill(tree_id, node, remap):
        nid = remap[node["nodeid"]]
        if "children" in node:
            children_ids = {c["nodeid"] for c in node["children"]}
            assert node["yes"] in children_ids and node["no"] in children_ids
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(nid)
            attrs["nodes_featureids"].append(feature_index(node["split"]))
            attrs["nodes_modes"].append("BRANCH_LT")     # xgboost: x < split_condition -> yes
            attrs["nodes_values"].append(float(node["split_condition"]))
            attrs["nodes_truenodeids"].append(remap[node["yes"]])
            attrs["nodes_falsenodeids"].append(remap[node["no"]])
            attrs["nodes_missing_value_tracks_true"].append(
                1 if node.get("missing", -1) == node["yes"] else 0)
            for ch in node["children"]:
                fill(tree_id, ch, remap)
        else:
            attrs["nodes_treeids"].append(tree_id)
            attrs["nodes_nodeids"].append(nid)
            attrs["nodes_featureids"].append(0)
            attrs["nodes_modes"].append("LEAF")
            attrs["nodes_values"].append(0.0)
            attrs["nodes_truenodeids"].append(0)
            attrs["nodes_falsenodeids"].append(0)
            attrs["nodes_missing_value_tracks_true"].append(0)
            attrs["class_treeids"].append(tree_id)
            attrs["class_nodeids"].append(nid)
            attrs["class_ids"].append(0)                  # binary: every leaf votes for id 0
            attrs["class_weights"].append(float(node["leaf"]))

    for tid, tree in enumerate(trees):
        fill(tid, tree, remap_ids(tree, {}))
    return attrs, len(trees)


def eval_tree_attributes(attrs, base_value, X):
    """numpy walk of the attributes (float32 compares, like xgboost): a self-check of the writer."""
    X = X.astype(np.float32)
    nodes = {}
    for i in range(len(attrs["nodes_nodeids"])):
        nodes[(attrs["nodes_treeids"][i], attrs["nodes_nodeids"][i])] = i
    leaf = {(t, n): w for t, n, w in zip(attrs["class_treeids"], attrs["class_nodeids"],
                                           attrs["class_weights"])}
    thresholds = np.asarray(attrs["nodes_values"], dtype=np.float32)
    tree_ids = sorted(set(attrs["nodes_treeids"]))
    scores = np.zeros(len(X), dtype=np.float64)
    for r in range(len(X)):
        s = 0.0
        for t in tree_ids:
            i = nodes[(t, 0)]
            while attrs["nodes_modes"][i] != "LEAF":
                v = X[r, attrs["nodes_featureids"][i]]
                if np.isnan(v):
                    go_true = attrs["nodes_missing_value_tracks_true"][i] == 1
                else:
                    go_true = v < thresholds[i]
                nxt = attrs["nodes_truenodeids"][i] if go_true else attrs["nodes_falsenodeids"][i]
                i = nodes[(t, nxt)]
            s += leaf[(t, attrs["nodes_nodeids"][i])]
        scores[r] = s + base_value
    return 1.0 / (1.0 + np.exp(-scores))


def xgb_graph(clf, n_features, graph_name):
    booster = clf.get_booster()
    params = clf.get_xgb_params()
    assert params["objective"] == "binary:logistic", params["objective"]
    assert list(clf.classes_) == [0, 1]
    attrs, n_trees = xgb_tree_attributes(booster)
    base_score = xgb_base_score(booster)
    tree_attrs = dict(attrs)
    base_value = None
    if base_score != 0.5:
        # onnxmltools: base_score is a probability; the margin starts at its logit.
        base_value = float(-np.log(1.0 / np.float32(base_score) - 1.0))
        tree_attrs["base_values"] = [base_value]
    node = helper.make_node(
        "TreeEnsembleClassifier", ["float_input"], ["label", "probabilities"],
        name="TreeEnsembleClassifier", domain="ai.onnx.ml",
        post_transform="LOGISTIC", classlabels_int64s=[0, 1], **tree_attrs)
    graph = helper.make_graph(
        [node], graph_name,
        [helper.make_tensor_value_info("float_input", TensorProto.FLOAT, [None, n_features])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, [None]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [None, 2])])
    return graph, attrs, base_score, base_value or 0.0, n_trees


def save_xgb(clf, X_all, out_dir, name, graph_name, doc):
    graph, attrs, base_score, base_value, n_trees = xgb_graph(clf, X_all.shape[1], graph_name)
    mine = eval_tree_attributes(attrs, base_value, X_all)
    theirs = clf.predict_proba(X_all)[:, 1]
    diff = float(np.max(np.abs(mine - theirs)))
    print(f"  tree writer self-check on {len(X_all)} rows: max |diff| = {diff:.3g}")
    assert diff < 1e-5, diff
    model = finish_model(graph, [("", OPSET), ("ai.onnx.ml", ML_OPSET_TREES)], doc)
    save_model(model, out_dir, name)
    return base_score, base_value, n_trees, len(attrs["nodes_nodeids"])


def xgb_notes(base_score, base_value, n_trees, n_nodes):
    return (f"{n_trees} trees, {n_nodes} nodes. One ai.onnx.ml TreeEnsembleClassifier laid out as "
            "onnxmltools lays out a binary:logistic XGBClassifier: trees from booster.get_dump("
            "dump_format='json'), node ids renumbered depth-first per tree, nodes_modes BRANCH_LT "
            "(xgboost sends x < split_condition to 'yes'), nodes_missing_value_tracks_true = "
            "(missing == yes) so NaN follows xgboost's default direction, every leaf has class_id 0, "
            f"base_values [logit(base_score)] = [{base_value!r}] (base_score {base_score!r}), "
            "post_transform LOGISTIC, classlabels_int64s [0, 1]. Outputs: label INT64 [N] (1 when "
            "p(1) > 0.5) and probabilities FLOAT [N, 2] = [1 - p(1), p(1)] in class order. No ZipMap. "
            "Expected values are XGBClassifier.predict / predict_proba.")


# --------------------------------------------------------------------------- torch

class Standardized(torch.nn.Module):
    """(x - mean) / std baked into the graph, then an MLP ending in a sigmoid."""

    def __init__(self, mean, std, sizes):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        layers = []
        for a, b in zip(sizes[:-2], sizes[1:-1]):
            layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
        layers.append(torch.nn.Linear(sizes[-2], sizes[-1]))
        self.net = torch.nn.Sequential(*layers)

    def logits(self, x):
        return self.net((x - self.mean) / self.std)

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def train_mlp(model, X, y, epochs, lr, weight_decay):
    Xt = torch.tensor(X, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32).reshape(-1, 1)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    model.train()
    for _ in range(epochs):
        opt.zero_grad()
        loss = loss_fn(model.logits(Xt), yt)
        loss.backward()
        opt.step()
    model.eval()
    return float(loss.item())


def export_torch(model, n_features, out_dir, name, doc):
    path = os.path.join(out_dir, name)
    dummy = torch.zeros(2, n_features, dtype=torch.float32)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["probability"],
                      dynamic_axes={"input": {0: "batch"}, "probability": {0: "batch"}},
                      opset_version=OPSET, do_constant_folding=True)
    m = onnx.load(path)
    m.doc_string = doc
    m.producer_name = m.producer_name or "pytorch"
    onnx.checker.check_model(m)
    with open(path, "wb") as fh:
        fh.write(m.SerializeToString())
    onnx.checker.check_model(onnx.load(path))


def torch_forward(model, X):
    with torch.no_grad():
        return model(torch.tensor(X, dtype=torch.float32)).numpy().astype(np.float64)


TORCH_NOTES = ("Exported with torch.onnx.export(opset_version={opset}, dynamic_axes batch on input "
               "and output, do_constant_folding=True). Input 'input' FLOAT [batch, {k}]; output "
               "'probability' FLOAT [batch, 1] = sigmoid(logit) = p(class 1). Expected values are the "
               "torch module's forward pass (float32).")


# --------------------------------------------------------------------------- 3+4: credit

def make_credit(out_dir, arff):
    print("German credit: XGBClassifier and torch MLP")
    X, y, names, encoding, raw, info = load_credit(arff)
    X = f32(X)
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.2, random_state=SEED, stratify=y)
    X_tr, X_te, y_tr, y_te = X[tr], X[te], y[tr], y[te]
    base_score = float(np.float32(y_tr.mean()))
    clf = xgboost.XGBClassifier(n_estimators=50, max_depth=4, learning_rate=0.1,
                                objective="binary:logistic", base_score=base_score,
                                tree_method="exact", n_jobs=1, random_state=SEED,
                                eval_metric="logloss")
    clf.fit(X_tr, y_tr)
    proba = clf.predict_proba(X_te)
    label = clf.predict(X_te)
    acc = float((label == y_te).mean())
    print(f"  xgboost held-out accuracy {acc:.4f} on {len(y_te)} rows")
    bs, bv, n_trees, n_nodes = save_xgb(
        clf, X, out_dir, "credit_xgboost.onnx", "credit_xgboost",
        "XGBClassifier(50 trees, max_depth 4) on the German credit data (weka credit-g.arff), "
        "laid out as onnxmltools writes it")

    raw_rows = [dict(zip(names + ["class"], raw[i])) for i in te]
    shared = {
        "classes": [0, 1],
        "class_names": ["good", "bad"],
        "categorical_encoding": encoding,
        "encoding_notes": ("Features in ARFF order. Numeric attributes as they are; each nominal "
                           "attribute ordinal-encoded as the 0-based position of its value in the "
                           "ARFF @attribute declaration (categorical_encoding maps value -> code). "
                           "Class: good -> 0, bad -> 1."),
        "data": info,
        "split": f"train_test_split(test_size=0.2, random_state={SEED}, stratify=y) on row "
                 "indices; 800 training rows, 200 held-out rows stored here",
        "held_out_row_indices": rows(te),
        "raw_rows": raw_rows,
        "true_labels": rows(y_te),
    }
    write_expected(
        out_dir, "credit_xgboost.onnx", f"xgboost {xgboost.__version__}",
        {"float_input": rows(X_te)},
        {"label": rows(label), "probabilities": rows(proba)},
        "XGBClassifier(n_estimators=50, max_depth=4, learning_rate=0.1, tree_method='exact', "
        f"base_score=mean(y_train)) on the German credit data (1000 x 20). "
        + xgb_notes(bs, bv, n_trees, n_nodes),
        feature_names=names,
        extra=dict(shared, held_out_accuracy=acc))

    torch.manual_seed(SEED)
    mean, std = X_tr.mean(axis=0), X_tr.std(axis=0)
    std[std == 0] = 1.0
    mlp = Standardized(mean, std, [X.shape[1], 16, 8, 1])
    loss = train_mlp(mlp, X_tr, y_tr, epochs=300, lr=0.002, weight_decay=0.01)
    p = torch_forward(mlp, X_te)
    acc = float(((p[:, 0] > 0.5).astype(np.int64) == y_te).mean())
    print(f"  torch MLP final training loss {loss:.4f}, held-out accuracy {acc:.4f}")
    export_torch(mlp, X.shape[1], out_dir, "credit_torch_mlp.onnx",
                 "torch MLP 20-16-8-1 (ReLU, sigmoid) with the standardization baked in, on the "
                 "German credit data")
    write_expected(
        out_dir, "credit_torch_mlp.onnx", torch_framework(),
        {"input": rows(X_te)}, {"probability": rows(p)},
        "torch MLP 20 -> 16 -> 8 -> 1 (ReLU, sigmoid output), trained 300 full-batch Adam epochs "
        "(lr 0.002, weight decay 0.01, BCE on logits) on the same 800 training rows as "
        "credit_xgboost. The standardization (x - mean) / std with the training rows' mean and "
        "std is part of the graph (Sub, Div), so the input is the same ordinal-encoded, "
        "unscaled feature vector as credit_xgboost's. " + TORCH_NOTES.format(opset=OPSET, k=20),
        feature_names=names,
        extra=dict(shared, held_out_accuracy=acc,
                   standardization={"mean": rows(f32(mean)), "std": rows(f32(std))}))


# --------------------------------------------------------------------------- 5: benchmarks

def make_bench(out_dir):
    print("benchmark models: 20 features, synthetic")
    X, y = make_classification(n_samples=4000, n_features=20, n_informative=12, n_redundant=4,
                               n_clusters_per_class=3, flip_y=0.02, random_state=SEED)
    X = f32(X)
    y = y.astype(np.int64)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2, random_state=SEED, stratify=y)
    names = [f"x{i}" for i in range(20)]
    X_show, y_show = X_te[:64], y_te[:64]
    data_note = ("Synthetic: sklearn make_classification(n_samples=4000, n_features=20, "
                 f"n_informative=12, n_redundant=4, n_clusters_per_class=3, flip_y=0.02, "
                 f"random_state={SEED}); 3200 training rows; the first 64 of the 800 held-out rows "
                 "are stored. ")

    torch.manual_seed(SEED)
    mlp = Standardized(np.zeros(20, np.float32), np.ones(20, np.float32), [20, 64, 64, 1])
    loss = train_mlp(mlp, X_tr, y_tr, epochs=200, lr=0.005, weight_decay=0.0)
    acc = float(((torch_forward(mlp, X_te)[:, 0] > 0.5) == y_te).mean())
    print(f"  bench MLP training loss {loss:.4f}, held-out accuracy {acc:.4f}")
    export_torch(mlp, 20, out_dir, "bench_mlp20.onnx", "benchmark torch MLP 20-64-64-1")
    write_expected(
        out_dir, "bench_mlp20.onnx", torch_framework(),
        {"input": rows(X_show)}, {"probability": rows(torch_forward(mlp, X_show))},
        data_note + "torch MLP 20 -> 64 -> 64 -> 1 (ReLU, sigmoid output), 200 full-batch Adam "
        "epochs; the graph also holds an identity standardization (mean 0, std 1: Sub, Div). "
        + TORCH_NOTES.format(opset=OPSET, k=20),
        feature_names=names, extra={"held_out_accuracy": acc, "true_labels": rows(y_show)})

    clf = xgboost.XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1,
                                objective="binary:logistic",
                                base_score=float(np.float32(y_tr.mean())),
                                tree_method="exact", n_jobs=1, random_state=SEED,
                                eval_metric="logloss")
    clf.fit(X_tr, y_tr)
    acc = float((clf.predict(X_te) == y_te).mean())
    print(f"  bench trees held-out accuracy {acc:.4f}")
    bs, bv, n_trees, n_nodes = save_xgb(clf, X, out_dir, "bench_trees20.onnx", "bench_trees20",
                                        "benchmark XGBClassifier, 100 trees of depth 6")
    write_expected(
        out_dir, "bench_trees20.onnx", f"xgboost {xgboost.__version__}",
        {"float_input": rows(X_show)},
        {"label": rows(clf.predict(X_show)), "probabilities": rows(clf.predict_proba(X_show))},
        data_note + "XGBClassifier(n_estimators=100, max_depth=6, learning_rate=0.1, "
        "tree_method='exact', base_score=mean(y_train)). " + xgb_notes(bs, bv, n_trees, n_nodes),
        feature_names=names, extra={"held_out_accuracy": acc, "true_labels": rows(y_show)})


# --------------------------------------------------------------------------- 6: typed inputs

TYPED_COUNTRIES = {"DE": 0.5, "FR": 1.25, "US": -2.0, "GB": 0.75, "JP": 3.0}
TYPED_DEFAULT = -1.0
TYPED_W = np.array([[0.001], [0.25], [1.5], [2.0]], dtype=np.float64)   # amount, count, flag, country
TYPED_B = np.array([-0.75], dtype=np.float64)


def make_typed(out_dir):
    print("typed_inputs: DOUBLE, INT64, BOOL, STRING inputs")
    keys = list(TYPED_COUNTRIES)
    nodes = [
        helper.make_node("LabelEncoder", ["country"], ["country_value"], name="LabelEncoder",
                         domain="ai.onnx.ml", keys_strings=keys,
                         values_floats=[TYPED_COUNTRIES[k] for k in keys],
                         default_float=TYPED_DEFAULT),
        helper.make_node("Cast", ["country_value"], ["country_double"], name="CastCountry",
                         to=TensorProto.DOUBLE),
        helper.make_node("Cast", ["count"], ["count_double"], name="CastCount",
                         to=TensorProto.DOUBLE),
        helper.make_node("Cast", ["flag"], ["flag_double"], name="CastFlag",
                         to=TensorProto.DOUBLE),
        helper.make_node("Concat", ["amount", "count_double", "flag_double", "country_double"],
                         ["features"], name="Concat", axis=1),
        helper.make_node("MatMul", ["features", "weights"], ["product"], name="MatMul"),
        helper.make_node("Add", ["product", "bias"], ["score"], name="Add"),
    ]
    inits = [
        helper.make_tensor("weights", TensorProto.DOUBLE, [4, 1], TYPED_W.flatten().tolist()),
        helper.make_tensor("bias", TensorProto.DOUBLE, [1], TYPED_B.tolist()),
    ]
    graph = helper.make_graph(
        nodes, "typed_inputs",
        [helper.make_tensor_value_info("amount", TensorProto.DOUBLE, [None, 1]),
         helper.make_tensor_value_info("count", TensorProto.INT64, [None, 1]),
         helper.make_tensor_value_info("flag", TensorProto.BOOL, [None, 1]),
         helper.make_tensor_value_info("country", TensorProto.STRING, [None, 1])],
        [helper.make_tensor_value_info("score", TensorProto.DOUBLE, [None, 1])],
        initializer=inits)
    model = finish_model(graph, [("", OPSET), ("ai.onnx.ml", ML_OPSET_TYPED)],
                         "hand-made graph with DOUBLE, INT64, BOOL and STRING inputs")
    save_model(model, out_dir, "typed_inputs.onnx")

    rng = np.random.default_rng(SEED)
    n = 24
    amount = np.round(rng.uniform(0, 5000, size=(n, 1)), 2)
    count = rng.integers(-3, 50, size=(n, 1)).astype(np.int64)
    flag = rng.integers(0, 2, size=(n, 1)).astype(bool)
    pool = keys + ["XX", ""]             # "XX" and "" are unknown -> default_float
    country = np.array([[pool[i]] for i in rng.integers(0, len(pool), size=n)], dtype=object)
    country[0, 0], country[1, 0] = "XX", "DE"      # make sure both paths are present
    cval = np.array([[TYPED_COUNTRIES.get(c, TYPED_DEFAULT)] for c in country[:, 0]],
                    dtype=np.float32).astype(np.float64)
    feats = np.hstack([amount, count.astype(np.float64), flag.astype(np.float64), cval])
    score = feats @ TYPED_W + TYPED_B
    write_expected(
        out_dir, "typed_inputs.onnx", f"numpy {np.__version__}",
        {"amount": rows(amount), "count": rows(count), "flag": rows(flag),
         "country": rows(country)},
        {"score": rows(score)},
        "Hand-made graph to test tensor handling, no training. country (STRING [N,1]) -> "
        "ai.onnx.ml LabelEncoder v2 (keys_strings -> values_floats, default_float for unknown "
        "strings) -> Cast DOUBLE; count (INT64 [N,1]) and flag (BOOL [N,1]) -> Cast DOUBLE; "
        "Concat(axis=1) [amount, count, flag, country] -> MatMul(weights DOUBLE [4,1]) + "
        "Add(bias DOUBLE [1]) -> score DOUBLE [N,1]. Expected values computed in numpy (float64) "
        "from the same weights, not by running the graph.",
        feature_names=["amount", "count", "flag", "country"],
        extra={"weights": rows(TYPED_W), "bias": rows(TYPED_B),
               "country_values": TYPED_COUNTRIES, "country_default": TYPED_DEFAULT})


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=DEFAULT_OUT, help="output folder (default: %(default)s)")
    ap.add_argument("--credit-arff", default=os.environ.get("CREDIT_ARFF"),
                    help="path to weka's credit-g.arff (default: look for it / apt-get download weka)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)                # deterministic and light on a shared machine
    torch.use_deterministic_algorithms(True)
    print(f"writing into {args.out}")
    print(f"numpy {np.__version__}, scikit-learn {sklearn.__version__}, xgboost "
          f"{xgboost.__version__}, torch {torch.__version__}, onnx {onnx.__version__}")
    make_breast_cancer(args.out)
    make_credit(args.out, args.credit_arff)
    make_bench(args.out)
    make_typed(args.out)
    print("done")


if __name__ == "__main__":
    sys.exit(main())
