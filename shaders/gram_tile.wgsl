// Tiles of the all-pairs Gram of the texts' cross factors (spec: "Computing the cross term fast
// and exactly"; issue 12: one Gram, then small problems). For each tile job z, the product
//   G = P_A P_Bᵀ        (unscaled)
// of two panels: P_A is rows rows[listA], …, rows[listA + rowsA − 1] of `factors` (consecutive
// texts' cross factors: their centred rows C when n ≤ d, their d × d factor when n > d), P_B
// likewise. G is never stored whole: entry (r, c) belongs to the block of the pair (text of row r,
// text of column c), and goes straight to that pair's own column-major matrix in `cross`, where
// jacobi_svd orthogonalises its columns in place. The block table says where (or 0xffffffff:
// this pair is not in the batch, e.g. the lower half of a panel against itself).
// Shared-memory tiling: a 16 × 16 workgroup computes a 64 × 64 block of G, 4 × 4 entries per
// thread in vec4 registers, stepping through d in chunks of 16 staged in workgroup memory (each
// factor value is read from storage once per block, not once per entry).

struct TileJob { listA: u32, rowsA: u32, listB: u32, rowsB: u32, blockBase: u32, textsB: u32, pad0: u32, pad1: u32 }
// Per listed row: which text of its panel (0-based) and which row of that text.
struct RowInfo { text: u32, row: u32 }
// Per (text of A, text of B) block: where the pair's matrix starts, its leading dimension, and
// whether it is stored transposed (B's rows down the columns: Jacobi then rotates A's fewer rows).
struct Block { offset: u32, ld: u32, transposed: u32, pad: u32 }
struct Config { d: u32, tileCount: u32, pad0: u32, pad1: u32 }

@group(0) @binding(0) var<storage, read> factors: array<f32>;
@group(0) @binding(1) var<storage, read> rows: array<u32>;
@group(0) @binding(2) var<storage, read> rowInfo: array<RowInfo>;
@group(0) @binding(3) var<storage, read> tiles: array<TileJob>;
@group(0) @binding(4) var<storage, read> blocks: array<Block>;
@group(0) @binding(5) var<storage, read_write> cross: array<f32>;
@group(0) @binding(6) var<uniform> cfg: Config;

const BM: u32 = 64u;   // rows (and columns) of G per workgroup
const BK: u32 = 16u;   // depth of one staged chunk
const TM: u32 = 4u;    // rows (and columns) per thread
const SKIP: u32 = 0xffffffffu;

// true: stage chunks of d in workgroup memory (for GPUs). false: each thread reads its rows from
// storage directly, no barriers — for software adapters such as SwiftShader, which emulate
// workgroup barriers slowly and whose "storage" is the CPU's cache anyway. The host picks it.
override SHARED_TILES: bool = true;

// Staged chunks, k-major, four rows to a vec4: rows r..r+3 at depth k are chunk[k·16 + r/4].
var<workgroup> chunkA: array<vec4<f32>, 256>;
var<workgroup> chunkB: array<vec4<f32>, 256>;
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

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  if (SHARED_TILES) {
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
        chunkA[k * (BM / 4u) + r / 4u][r % 4u] = a;
        chunkB[k * (BM / 4u) + r / 4u][r % 4u] = b;
      }
      workgroupBarrier();
      // (A run-time bound: the last chunk may be short. It also keeps shader compilers from
      // unrolling the loop, which makes SwiftShader's compile take seconds.)
      let depth = min(BK, d - k0);
      for (var k = 0u; k < depth; k = k + 1u) {
        let a = chunkA[k * (BM / 4u) + lid.y];
        let b = chunkB[k * (BM / 4u) + lid.x];
        acc0 = acc0 + a.x * b;
        acc1 = acc1 + a.y * b;
        acc2 = acc2 + a.z * b;
        acc3 = acc3 + a.w * b;
      }
      workgroupBarrier();
    }
  } else {
    // The thread's 4 rows of A and of B (rows past the panel read row 0, weighted 0).
    var baseA = vec4<u32>(0u);
    var baseB = vec4<u32>(0u);
    var okA = vec4<f32>(0.0);
    var okB = vec4<f32>(0.0);
    for (var i = 0u; i < TM; i = i + 1u) {
      let r = row0 + lid.y * TM + i;
      let c = col0 + lid.x * TM + i;
      if (r < job.rowsA) { baseA[i] = rows[job.listA + r] * d; okA[i] = 1.0; }
      if (c < job.rowsB) { baseB[i] = rows[job.listB + c] * d; okB[i] = 1.0; }
    }
    for (var k = 0u; k < d; k = k + 1u) {
      let a = okA * vec4<f32>(factors[baseA.x + k], factors[baseA.y + k], factors[baseA.z + k], factors[baseA.w + k]);
      let b = okB * vec4<f32>(factors[baseB.x + k], factors[baseB.y + k], factors[baseB.z + k], factors[baseB.w + k]);
      acc0 = acc0 + a.x * b;
      acc1 = acc1 + a.y * b;
      acc2 = acc2 + a.z * b;
      acc3 = acc3 + a.w * b;
    }
  }

  // Scatter the 4 × 4 entries to their pairs' matrices (one store site: a small shader to compile).
  let rowsOut = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < TM; i = i + 1u) {
    let r = row0 + lid.y * TM + i;
    if (r >= job.rowsA) { break; }
    let ra = rowInfo[job.listA + r];
    let values = rowsOut[i];
    for (var j = 0u; j < TM; j = j + 1u) {
      let c = col0 + lid.x * TM + j;
      if (c >= job.rowsB) { break; }
      let cb = rowInfo[job.listB + c];
      let block = blocks[job.blockBase + ra.text * job.textsB + cb.text];
      if (block.offset == SKIP) { continue; }
      let at = select(block.offset + cb.row * block.ld + ra.row, block.offset + ra.row * block.ld + cb.row, block.transposed != 0u);
      cross[at] = values[j];
    }
  }
}
