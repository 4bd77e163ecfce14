// Cross-Gram of a batch of pairs (spec: "Computing the cross term fast and exactly"):
// M = F_A F_Bᵀ / √(n_A n_B), r_A × r_B, written column-major so that jacobi_svd can
// orthogonalise its r_B columns (the host orders each pair so that r_B ≤ r_A).
// F is a text's cross factor in `factors`: its centred rows C (n ≤ d) or its d × d
// factor (n > d). Workgroup = one 8 × 8 block of one pair (z = pair); each thread forms
// one entry with a plain dot product. No shared-memory tiling: it needs two barriers per
// k-step, and measured slower than this on SwiftShader at these sizes (r ≤ 512).

struct Text { rowOffset: u32, n: u32, factorRows: u32, pad: u32 }
struct Pair { a: u32, b: u32, crossOffset: u32, sigmaOffset: u32 }
struct Config { d: u32, pairCount: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read> factors: array<f32>;
@group(0) @binding(1) var<storage, read> texts: array<Text>;
@group(0) @binding(2) var<storage, read> pairs: array<Pair>;
@group(0) @binding(3) var<storage, read_write> cross: array<f32>;
@group(0) @binding(4) var<uniform> cfg: Config;

const BLOCK: u32 = 8u;

@compute @workgroup_size(8, 8)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  if (wg.z >= cfg.pairCount) { return; }
  let pair = pairs[wg.z];
  let ta = texts[pair.a];
  let tb = texts[pair.b];
  let row = wg.x * BLOCK + lid.x;   // consecutive threads → consecutive rows: coalesced column-major writes
  let col = wg.y * BLOCK + lid.y;
  if (row >= ta.factorRows || col >= tb.factorRows) { return; }
  let d = cfg.d;
  let baseA = (ta.rowOffset + row) * d;
  let baseB = (tb.rowOffset + col) * d;
  var acc = 0.0;
  for (var k = 0u; k < d; k = k + 1u) {
    acc = acc + factors[baseA + k] * factors[baseB + k];
  }
  let scale = inverseSqrt(f32(ta.n)) * inverseSqrt(f32(tb.n));
  cross[pair.crossOffset + col * ta.factorRows + row] = acc * scale;
}
