// Cross-Gram of a batch of pairs (spec: "Computing the cross term fast and exactly"):
// M = F_A F_Bᵀ / √(n_A n_B), r_A × r_B, written column-major so that jacobi_svd can
// orthogonalise its r_B columns (the host orders each pair so that r_B ≤ r_A).
// F is a text's cross factor in `factors`: its centred rows C (n ≤ d) or its d × d
// factor (n > d). Workgroup = one 16 × 16 tile of one pair; z = pair.

struct Text { rowOffset: u32, n: u32, factorRows: u32, pad: u32 }
struct Pair { a: u32, b: u32, crossOffset: u32, sigmaOffset: u32 }
struct Config { d: u32, pairCount: u32, pad0: u32, pad1: u32 }
struct Tile { rowsA: u32, rowsB: u32, baseA: u32, baseB: u32, out: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> factors: array<f32>;
@group(0) @binding(1) var<storage, read> texts: array<Text>;
@group(0) @binding(2) var<storage, read> pairs: array<Pair>;
@group(0) @binding(3) var<storage, read_write> cross: array<f32>;
@group(0) @binding(4) var<uniform> cfg: Config;

const TILE: u32 = 16u;
var<workgroup> tileA: array<array<f32, 16>, 16>;
var<workgroup> tileB: array<array<f32, 16>, 16>;
var<workgroup> tileShared: Tile;

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  if (wg.z >= cfg.pairCount) { return; }
  if (lid.x == 0u && lid.y == 0u) {
    let pair = pairs[wg.z];
    let ta = texts[pair.a];
    let tb = texts[pair.b];
    tileShared = Tile(ta.factorRows, tb.factorRows, ta.rowOffset * cfg.d, tb.rowOffset * cfg.d,
      pair.crossOffset, inverseSqrt(f32(ta.n)) * inverseSqrt(f32(tb.n)));
  }
  let tile = workgroupUniformLoad(&tileShared);
  let row0 = wg.x * TILE;
  let col0 = wg.y * TILE;
  if (row0 >= tile.rowsA || col0 >= tile.rowsB) { return; }
  let d = cfg.d;
  let row = row0 + lid.x;   // consecutive threads → consecutive rows: coalesced column-major writes
  let col = col0 + lid.y;
  var acc = 0.0;
  for (var k0 = 0u; k0 < d; k0 = k0 + TILE) {
    let k = k0 + lid.x;
    let ra = row0 + lid.y;
    let rb = col0 + lid.y;
    tileA[lid.y][lid.x] = select(0.0, factors[tile.baseA + ra * d + k], ra < tile.rowsA && k < d);
    tileB[lid.y][lid.x] = select(0.0, factors[tile.baseB + rb * d + k], rb < tile.rowsB && k < d);
    workgroupBarrier();
    for (var kk = 0u; kk < TILE; kk = kk + 1u) {
      acc = acc + tileA[lid.x][kk] * tileB[lid.y][kk];
    }
    workgroupBarrier();
  }
  if (row < tile.rowsA && col < tile.rowsB) {
    cross[tile.out + col * tile.rowsA + row] = acc * tile.scale;
  }
}
