// Tiles of the all-pairs Gram of the texts' cross factors (spec: "Computing the cross term fast
// and exactly"; issue 12: one Gram, then small problems). For each tile job z:
//   G = P_A P_Bᵀ   (unscaled, row-major, leading dimension ldt, at gram[outOffset…])
// where panel P_A is rows rows[listA], …, rows[listA + rowsA − 1] of `factors` (likewise P_B):
// consecutive texts' cross factors (their centred rows C when n ≤ d, their d × d factor when
// n > d). Each pair's block of a tile is then F_A F_Bᵀ, ready for jacobi_svd in place.
// Classic shared-memory tiling: a 16 × 16 workgroup computes a 64 × 64 block of G, 4 × 4 entries
// per thread held in registers, stepping through d in chunks of 16 staged in workgroup memory
// (each factor value is read from storage once per block, not once per entry).

struct TileJob { listA: u32, rowsA: u32, listB: u32, rowsB: u32, outOffset: u32, ldt: u32, pad0: u32, pad1: u32 }
struct Config { d: u32, tileCount: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read> factors: array<f32>;
@group(0) @binding(1) var<storage, read> rows: array<u32>;
@group(0) @binding(2) var<storage, read> tiles: array<TileJob>;
@group(0) @binding(3) var<storage, read_write> gram: array<f32>;
@group(0) @binding(4) var<uniform> cfg: Config;

const BM: u32 = 64u;   // rows (and columns) of G per workgroup
const BK: u32 = 16u;   // depth of one staged chunk
const TM: u32 = 4u;    // rows (and columns) per thread

// Staged chunks, k-major: element (k, r) at k·BM + r.
var<workgroup> chunkA: array<f32, 1024>;
var<workgroup> chunkB: array<f32, 1024>;
var<workgroup> jobShared: TileJob;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  if (wg.z >= cfg.tileCount) { return; }
  if (li == 0u) { jobShared = tiles[wg.z]; }
  let job = workgroupUniformLoad(&jobShared);
  let row0 = wg.y * BM;
  let col0 = wg.x * BM;
  if (row0 >= job.rowsA || col0 >= job.rowsB) { return; }
  let d = cfg.d;

  var acc: array<f32, 16>;
  for (var k0 = 0u; k0 < d; k0 = k0 + BK) {
    // 64 rows × 16 values of each side: 1024 values, 4 per thread, consecutive threads along d.
    for (var t = 0u; t < 4u; t = t + 1u) {
      let e = li + t * 256u;
      let r = e / BK;
      let k = e % BK;
      let gk = k0 + k;
      var a = 0.0;
      var b = 0.0;
      if (gk < d) {
        if (row0 + r < job.rowsA) { a = factors[rows[job.listA + row0 + r] * d + gk]; }
        if (col0 + r < job.rowsB) { b = factors[rows[job.listB + col0 + r] * d + gk]; }
      }
      chunkA[k * BM + r] = a;
      chunkB[k * BM + r] = b;
    }
    workgroupBarrier();
    for (var k = 0u; k < BK; k = k + 1u) {
      let base = k * BM;
      let a = vec4<f32>(chunkA[base + lid.y * TM], chunkA[base + lid.y * TM + 1u], chunkA[base + lid.y * TM + 2u], chunkA[base + lid.y * TM + 3u]);
      let b = vec4<f32>(chunkB[base + lid.x * TM], chunkB[base + lid.x * TM + 1u], chunkB[base + lid.x * TM + 2u], chunkB[base + lid.x * TM + 3u]);
      for (var i = 0u; i < TM; i = i + 1u) {
        acc[i * TM] = acc[i * TM] + a[i] * b.x;
        acc[i * TM + 1u] = acc[i * TM + 1u] + a[i] * b.y;
        acc[i * TM + 2u] = acc[i * TM + 2u] + a[i] * b.z;
        acc[i * TM + 3u] = acc[i * TM + 3u] + a[i] * b.w;
      }
    }
    workgroupBarrier();
  }

  for (var i = 0u; i < TM; i = i + 1u) {
    let r = row0 + lid.y * TM + i;
    if (r >= job.rowsA) { continue; }
    for (var j = 0u; j < TM; j = j + 1u) {
      let c = col0 + lid.x * TM + j;
      if (c < job.rowsB) { gram[job.outOffset + r * job.ldt + c] = acc[i * TM + j]; }
    }
  }
}
