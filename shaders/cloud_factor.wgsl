// The d × d cross factor of a text with more tokens than dimensions (spec: "when n > d,
// work in d × d"). After jacobi_svd has rotated the d columns of C (C·J = B, |b_k| = σ_k),
// F = diag(σ)·Jᵀ satisfies FᵀF = J·diag(σ²)·Jᵀ = CᵀC, so a pair's cross term only needs F.
// F overwrites the first d rows of the text's region in `centred` (C is spent by then).
// One workgroup per text.

struct FactorJob { rowOffset: u32, sigmaOffset: u32, rotOffset: u32, pad: u32 }
struct Config { d: u32, jobCount: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read_write> centred: array<f32>;
@group(0) @binding(1) var<storage, read> sigma: array<f32>;
@group(0) @binding(2) var<storage, read> rot: array<f32>;
@group(0) @binding(3) var<storage, read> jobs: array<FactorJob>;
@group(0) @binding(4) var<uniform> cfg: Config;

@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  if (wg.x >= cfg.jobCount) { return; }
  let job = jobs[wg.x];
  let d = cfg.d;
  let base = job.rowOffset * d;
  for (var e = tid; e < d * d; e = e + 256u) {
    let k = e / d;
    let j = e % d;
    centred[base + e] = sigma[job.sigmaOffset + k] * rot[job.rotOffset + j * d + k];
  }
}
