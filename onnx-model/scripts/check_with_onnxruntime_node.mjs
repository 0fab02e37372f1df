// Independent check of the models written by make_models.py: runs every <name>.onnx in the
// folder on ONNX Runtime (npm package onnxruntime-node) and compares its outputs with the
// framework outputs stored in <name>.expected.json. Not used by the Maven build.
//
//   mkdir -p /tmp/ortnode && cd /tmp/ortnode && npm init -y \
//     && npm install --ignore-scripts onnxruntime-node@1.29.0
//   node onnx-model/scripts/check_with_onnxruntime_node.mjs [models folder]
//
// --ignore-scripts: the package's install script only fetches optional GPU libraries (and fails
// without network beyond the npm registry); the CPU runtime ships inside the package.
// ORT_NODE_DIR names the folder where onnxruntime-node was installed (default /tmp/ortnode).
// Exit code 0 when every output of every model is within the file's tolerance (labels: equal).

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2] ?? path.join(here, '..', 'src', 'test', 'resources', 'onnx');
const ortDir = process.env.ORT_NODE_DIR ?? '/tmp/ortnode';
const ort = createRequire(path.join(ortDir, 'package.json'))('onnxruntime-node');

function tensorFor(spec, rows) {
  const n = rows.length;
  const flat = rows.flat(Infinity);
  const dims = [n, ...(spec.shape ?? []).slice(1).map((d, i) => (typeof d === 'number' ? d : 1))];
  // rows are lists of lists, so take the real trailing size from the data
  if (Array.isArray(rows[0])) dims.splice(1, dims.length - 1, rows[0].length);
  switch (spec.type) {
    case 'float': return new ort.Tensor('float32', Float32Array.from(flat), dims);
    case 'double': return new ort.Tensor('float64', Float64Array.from(flat), dims);
    case 'int64': return new ort.Tensor('int64', BigInt64Array.from(flat.map((v) => BigInt(v))), dims);
    case 'int32': return new ort.Tensor('int32', Int32Array.from(flat), dims);
    case 'bool': return new ort.Tensor('bool', Uint8Array.from(flat.map((v) => (v ? 1 : 0))), dims);
    case 'string': return new ort.Tensor('string', flat.map(String), dims);
    default: throw new Error(`input type ${spec.type} not handled`);
  }
}

// Flattens an ORT output (tensor, or a sequence of maps as ZipMap makes) into numbers.
function flatten(value, classOrder) {
  if (value && value.data !== undefined && value.dims !== undefined) {
    return Array.from(value.data, (v) => (typeof v === 'bigint' ? Number(v) : Number(v)));
  }
  if (Array.isArray(value)) {            // sequence(map(int64, float)): one map per row
    return value.flatMap((m) => {
      const entries = m instanceof Map ? m : new Map(Object.entries(m).map(([k, v]) => [Number(k), v]));
      return classOrder.map((c) => Number(entries.get(c) ?? entries.get(String(c)) ?? entries.get(BigInt(c))));
    });
  }
  throw new Error(`unexpected output value ${typeof value}`);
}

let failed = 0;
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.expected.json')).sort();
if (files.length === 0) { console.error(`no *.expected.json in ${dir}`); process.exit(2); }
console.log(`onnxruntime-node ${JSON.parse(fs.readFileSync(path.join(ortDir, 'node_modules', 'onnxruntime-node', 'package.json'))).version}, models in ${dir}`);
for (const file of files) {
  const exp = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  const modelPath = path.join(dir, exp.model);
  let session;
  try {
    session = await ort.InferenceSession.create(modelPath);
  } catch (e) {
    console.log(`FAIL ${exp.model}: cannot load: ${e.message}`);
    failed++;
    continue;
  }
  const feeds = {};
  for (const [name, rows] of Object.entries(exp.inputs)) feeds[name] = tensorFor(exp.graph_inputs[name], rows);
  for (const [name, want] of Object.entries(exp.outputs)) {
    let got;
    try {
      got = (await session.run(feeds, [name]))[name];
    } catch (e) {
      console.log(`SKIP ${exp.model} ${name}: onnxruntime-node cannot return it (${e.message.split('\n')[0]})`);
      continue;
    }
    const g = flatten(got, exp.classes ?? [0, 1]);
    const w = want.flat(Infinity).map(Number);
    if (g.length !== w.length) {
      console.log(`FAIL ${exp.model} ${name}: ${g.length} values, expected ${w.length}`);
      failed++;
      continue;
    }
    const isLabel = exp.graph_outputs[name]?.type === 'int64';
    let maxDiff = 0;
    let mismatches = 0;
    for (let i = 0; i < g.length; i++) {
      const d = Math.abs(g[i] - w[i]);
      if (!(d <= maxDiff)) maxDiff = Number.isNaN(d) ? Infinity : d;
      if (isLabel ? g[i] !== w[i] : !(d <= exp.tolerance)) mismatches++;
    }
    const ok = mismatches === 0;
    if (!ok) failed++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${exp.model} ${name}: ${w.length} values, max |diff| ${maxDiff.toExponential(3)}` +
      (mismatches ? `, ${mismatches} beyond ${isLabel ? 'equality' : exp.tolerance}` : ''));
  }
}
console.log(failed === 0 ? 'all outputs match' : `${failed} output(s) do not match`);
process.exit(failed === 0 ? 0 : 1);
