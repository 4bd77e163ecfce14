// The 2-D view of one pair (spec: PCA without centring), after jacobi_svd ran on the stack
// S = [X~_A; X~_B] (N tokens × d) in one of two ways:
//   mode 0 (N ≤ d): the columns of Sᵀ (one per token) were orthogonalised in `work`; the two
//     longest are σ1·v1 and σ2·v2 (v2 is completed when the stack has rank < 2);
//   mode 1 (N > d): the d columns of S were rotated with J accumulated in `rot`: the right
//     singular vectors are J's columns, σ_k the rotated column norms (O(d²N), not O(N²d)).
// It fixes each axis's sign so the mean projection is non-negative and projects every token
// and both means. Output layout in `view`:
//   [σ1, σ2, energyShare, 0, v1 (d), v2 (d), (x·v1, x·v2) for the nA + nB tokens, then μ_A, μ_B]

struct Config { d: u32, rowA: u32, nA: u32, rowB: u32, nB: u32, textA: u32, textB: u32, mode: u32 }

@group(0) @binding(0) var<storage, read> tokens: array<f32>;
@group(0) @binding(1) var<storage, read> work: array<f32>;
@group(0) @binding(2) var<storage, read> sigma: array<f32>;
@group(0) @binding(3) var<storage, read> means: array<f32>;
@group(0) @binding(4) var<storage, read_write> view: array<f32>;
@group(0) @binding(5) var<uniform> cfg: Config;
@group(0) @binding(6) var<storage, read> rot: array<f32>;

const WG: u32 = 256u;
var<workgroup> red: array<vec2<f32>, 256>;
var<workgroup> result: vec2<f32>;
var<workgroup> chosen: vec4<u32>;   // k1, k2, degenerate, argmin |v1_j|
var<workgroup> sigmas: vec3<f32>;   // σ1, σ2, Σσ²

fn reduce2(tid: u32, v: vec2<f32>) -> vec2<f32> {
  red[tid] = v;
  workgroupBarrier();
  for (var step = WG / 2u; step > 0u; step = step / 2u) {
    if (tid < step) { red[tid] = red[tid] + red[tid + step]; }
    workgroupBarrier();
  }
  if (tid == 0u) { result = red[0]; }
  return workgroupUniformLoad(&result);
}

// Row i of the stacked matrix (token i of A, then of B).
fn tokenAt(i: u32, j: u32) -> f32 {
  if (i < cfg.nA) { return tokens[(cfg.rowA + i) * cfg.d + j]; }
  return tokens[(cfg.rowB + i - cfg.nA) * cfg.d + j];
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) tid: u32) {
  let d = cfg.d;
  let count = cfg.nA + cfg.nB;
  let singular = select(count, d, cfg.mode == 1u);
  if (tid == 0u) {
    var k1 = 0u;
    var k2 = 0u;
    var energy = 0.0;
    for (var k = 0u; k < singular; k = k + 1u) {
      energy = energy + sigma[k] * sigma[k];
      if (sigma[k] > sigma[k1]) { k1 = k; }
    }
    if (k1 == 0u) { k2 = min(1u, singular - 1u); }
    for (var k = 0u; k < singular; k = k + 1u) {
      if (k != k1 && sigma[k] > sigma[k2]) { k2 = k; }
    }
    let s1 = sigma[k1];
    var s2 = select(sigma[k2], 0.0, k2 == k1);
    let degenerate = cfg.mode == 0u && !(s2 > 1e-6 * s1);
    if (degenerate) { s2 = 0.0; }
    // argmin |v1_j|, for completing v2 when the cloud is (numerically) rank 1.
    var kmin = 0u;
    if (cfg.mode == 0u) {
      for (var j = 1u; j < d; j = j + 1u) {
        if (abs(work[k1 * d + j]) < abs(work[k1 * d + kmin])) { kmin = j; }
      }
    }
    chosen = vec4<u32>(k1, k2, select(0u, 1u, degenerate), kmin);
    sigmas = vec3<f32>(s1, s2, energy);
  }
  let pick = workgroupUniformLoad(&chosen);
  let sig = workgroupUniformLoad(&sigmas);
  let v1Base = 4u;
  let v2Base = 4u + d;

  // mode 0: v1 = b_k1 / σ1; v2 = b_k2 / σ2, or e_kmin − v1[kmin]·v1 normalised. mode 1: J's columns.
  for (var j = tid; j < d; j = j + WG) {
    view[v1Base + j] = select(work[pick.x * d + j] / sig.x, rot[j * d + pick.x], cfg.mode == 1u);
  }
  storageBarrier();
  if (pick.z == 0u) {
    for (var j = tid; j < d; j = j + WG) {
      view[v2Base + j] = select(work[pick.y * d + j] / sig.y, rot[j * d + pick.y], cfg.mode == 1u);
    }
  } else {
    let c = view[v1Base + pick.w];
    var local = vec2<f32>(0.0);
    for (var j = tid; j < d; j = j + WG) {
      let e = select(0.0, 1.0, j == pick.w) - c * view[v1Base + j];
      view[v2Base + j] = e;
      local.x = local.x + e * e;
    }
    let norm = sqrt(reduce2(tid, local).x);
    storageBarrier();
    for (var j = tid; j < d; j = j + WG) { view[v2Base + j] = view[v2Base + j] / norm; }
  }
  storageBarrier();

  // Signs: the mean of all projections on each axis is made non-negative.
  var local = vec2<f32>(0.0);
  for (var j = tid; j < d; j = j + WG) {
    var total = 0.0;
    for (var i = 0u; i < count; i = i + 1u) { total = total + tokenAt(i, j); }
    local = local + total * vec2<f32>(view[v1Base + j], view[v2Base + j]);
  }
  let s = reduce2(tid, local);
  let flip = vec2<f32>(select(1.0, -1.0, s.x < 0.0), select(1.0, -1.0, s.y < 0.0));
  storageBarrier();
  for (var j = tid; j < d; j = j + WG) {
    view[v1Base + j] = view[v1Base + j] * flip.x;
    view[v2Base + j] = view[v2Base + j] * flip.y;
  }
  storageBarrier();

  // Coordinates: one point per thread.
  let pointsBase = 4u + 2u * d;
  for (var i = tid; i < count + 2u; i = i + WG) {
    var xy = vec2<f32>(0.0);
    for (var j = 0u; j < d; j = j + 1u) {
      var x = 0.0;
      if (i < count) { x = tokenAt(i, j); }
      else if (i == count) { x = means[cfg.textA * d + j]; }
      else { x = means[cfg.textB * d + j]; }
      xy = xy + x * vec2<f32>(view[v1Base + j], view[v2Base + j]);
    }
    view[pointsBase + 2u * i] = xy.x;
    view[pointsBase + 2u * i + 1u] = xy.y;
  }
  if (tid == 0u) {
    view[0] = sig.x;
    view[1] = sig.y;
    view[2] = select(0.0, (sig.x * sig.x + sig.y * sig.y) / sig.z, sig.z > 0.0);
    view[3] = 0.0;
  }
}
