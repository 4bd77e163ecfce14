// Per-text normalisation and moments (spec: Normalisation; First- and second-order statistics).
// One workgroup per text. In place: tokens X → X~ = X / ||mean(X)||.
// Writes μ = mean(X~) to `means`, C = X~ − 1μᵀ to `centred`, and tr Σ = ||C||²_F / n to `stats`.
// The host has already scaled each text by an exact power of two so that max |x| ∈ [1, 2).

struct Text { rowOffset: u32, n: u32, factorRows: u32, pad: u32 }
struct TextStats { trace: f32, meanNorm: f32, ok: u32, pad: u32 }
struct Config { d: u32, textCount: u32, groupsX: u32, pad: u32 }

@group(0) @binding(0) var<storage, read_write> tokens: array<f32>;
@group(0) @binding(1) var<storage, read_write> centred: array<f32>;
@group(0) @binding(2) var<storage, read_write> means: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<TextStats>;
@group(0) @binding(4) var<storage, read> texts: array<Text>;
@group(0) @binding(5) var<uniform> cfg: Config;

const WG: u32 = 256u;
var<workgroup> red: array<f32, 256>;
var<workgroup> result: f32;
var<workgroup> textShared: Text;

fn reduceSum(tid: u32, v: f32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var step = WG / 2u; step > 0u; step = step / 2u) {
    if (tid < step) { red[tid] = red[tid] + red[tid + step]; }
    workgroupBarrier();
  }
  if (tid == 0u) { result = red[0]; }
  return workgroupUniformLoad(&result);
}

fn reduceMax(tid: u32, v: f32) -> f32 {
  red[tid] = v;
  workgroupBarrier();
  for (var step = WG / 2u; step > 0u; step = step / 2u) {
    if (tid < step) { red[tid] = max(red[tid], red[tid + step]); }
    workgroupBarrier();
  }
  if (tid == 0u) { result = red[0]; }
  return workgroupUniformLoad(&result);
}

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let t = wg.y * cfg.groupsX + wg.x;
  if (t >= cfg.textCount) { return; }
  if (tid == 0u) { textShared = texts[t]; }
  let text = workgroupUniformLoad(&textShared);
  let d = cfg.d;
  let n = text.n;
  let base = text.rowOffset * d;
  let invN = 1.0 / f32(n);

  // Raw mean, one dimension per thread (coalesced down the columns).
  var localMax = 0.0;
  for (var j = tid; j < d; j = j + WG) {
    var s = 0.0;
    for (var i = 0u; i < n; i = i + 1u) { s = s + tokens[base + i * d + j]; }
    let m = s * invN;
    means[t * d + j] = m;
    localMax = max(localMax, abs(m));
  }
  let maxAbs = reduceMax(tid, localMax);

  // ||mean|| scaled by the largest component: no overflow, no underflow.
  var localSq = 0.0;
  if (maxAbs > 0.0) {
    for (var j = tid; j < d; j = j + WG) {
      let r = means[t * d + j] / maxAbs;
      localSq = localSq + r * r;
    }
  }
  let norm = maxAbs * sqrt(reduceSum(tid, localSq));
  // A zero or non-finite norm cannot be scored: report it, touch nothing.
  let ok = norm > 0.0 && norm <= 3.0e38;
  if (!ok) {
    if (tid == 0u) { stats[t] = TextStats(0.0, norm, 0u, 0u); }
    return;
  }
  let inv = 1.0 / norm;
  for (var j = tid; j < d; j = j + WG) { means[t * d + j] = means[t * d + j] * inv; }
  storageBarrier();

  var localTrace = 0.0;
  let count = n * d;
  for (var k = tid; k < count; k = k + WG) {
    let j = k % d;
    let x = tokens[base + k] * inv;
    tokens[base + k] = x;
    let c = x - means[t * d + j];
    centred[base + k] = c;
    localTrace = localTrace + c * c;
  }
  let trace = reduceSum(tid, localTrace) * invN;
  if (tid == 0u) { stats[t] = TextStats(trace, norm, 1u, 0u); }
}
