// Per-pair reduction to the paper's numbers (spec: Distances; SOCM):
//   nuclear = Σ σ_k of the pair's block F_A F_Bᵀ of the Gram (from jacobi_svd) / √(n_A n_B)
//   d1 = ||μ_A − μ_B||² / 4,  d2 = max(0, tr Σ_A + tr Σ_B − 2·nuclear) / 4,  SOCM = (1 − d1)·d2
// Flag bit 0: tr Σ > 2 for either text (the paper's assumption fails; values are not clipped).
// One workgroup per pair.

struct Text { rowOffset: u32, n: u32, factorRows: u32, pad: u32 }
struct TextStats { trace: f32, meanNorm: f32, ok: u32, pad: u32 }
struct Pair { a: u32, b: u32, crossOffset: u32, sigmaOffset: u32 }
struct PairResult { d1: f32, d2: f32, socm: f32, flags: u32 }
struct Config { d: u32, pairCount: u32, groupsX: u32, pad: u32 }

@group(0) @binding(0) var<storage, read> texts: array<Text>;
@group(0) @binding(1) var<storage, read> stats: array<TextStats>;
@group(0) @binding(2) var<storage, read> means: array<f32>;
@group(0) @binding(3) var<storage, read> pairs: array<Pair>;
@group(0) @binding(4) var<storage, read> sigma: array<f32>;
@group(0) @binding(5) var<storage, read_write> results: array<PairResult>;
@group(0) @binding(6) var<uniform> cfg: Config;

const WG: u32 = 64u;
var<workgroup> red: array<vec2<f32>, 64>;

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let p = wg.y * cfg.groupsX + wg.x;
  if (p >= cfg.pairCount) { return; }
  let pair = pairs[p];
  let d = cfg.d;
  let singularCount = texts[pair.b].factorRows;
  var acc = vec2<f32>(0.0);
  for (var k = tid; k < singularCount; k = k + WG) { acc.x = acc.x + sigma[pair.sigmaOffset + k]; }
  for (var j = tid; j < d; j = j + WG) {
    let t = means[pair.a * d + j] - means[pair.b * d + j];
    acc.y = acc.y + t * t;
  }
  red[tid] = acc;
  workgroupBarrier();
  for (var step = WG / 2u; step > 0u; step = step / 2u) {
    if (tid < step) { red[tid] = red[tid] + red[tid + step]; }
    workgroupBarrier();
  }
  if (tid == 0u) {
    let nuclear = red[0].x * inverseSqrt(f32(texts[pair.a].n)) * inverseSqrt(f32(texts[pair.b].n));
    let d1 = red[0].y / 4.0;
    let traceA = stats[pair.a].trace;
    let traceB = stats[pair.b].trace;
    let d2 = max(0.0, traceA + traceB - 2.0 * nuclear) / 4.0;
    let flags = select(0u, 1u, traceA > 2.0 || traceB > 2.0);
    results[p] = PairResult(d1, d2, (1.0 - d1) * d2, flags);
  }
}
