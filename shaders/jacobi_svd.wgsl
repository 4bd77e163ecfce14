// Batched one-sided (Hestenes) Jacobi SVD. One workgroup per matrix ("job").
// Rotates the job's `cols` columns (each `rows` long, element (i, j) at
// offset + i·rowStride + j·colStride) until they are mutually orthogonal, then writes
// the column norms — the singular values, unsorted — to sigma[sigmaOffset + j].
// With accumulate = 1 it also keeps J (cols × cols, row-major) with A·J = B.
// Parallel order: round-robin ("circle") pairing, cols/2 disjoint pairs per round, one
// thread per pair, one barrier per round. (Sharing a pair's dot products among several
// threads costs ~6 barriers a round; measured 2-8× slower on SwiftShader for n ≤ 64.)
// Singular values come from the columns themselves, never from eig(AᵀA): no squaring.

struct Job {
  offset: u32, rows: u32, cols: u32, rowStride: u32,
  colStride: u32, sigmaOffset: u32, rotOffset: u32, accumulate: u32,
}
struct Config { jobCount: u32, groupsX: u32, maxSweeps: u32, tol: f32 }

@group(0) @binding(0) var<storage, read_write> data: array<f32>;
@group(0) @binding(1) var<storage, read> jobs: array<Job>;
@group(0) @binding(2) var<storage, read_write> sigma: array<f32>;
@group(0) @binding(3) var<storage, read_write> rot: array<f32>;
@group(0) @binding(4) var<uniform> cfg: Config;

const WG: u32 = 64u;
var<workgroup> maxima: array<f32, 64>;
var<workgroup> jobShared: Job;
var<workgroup> rotations: atomic<u32>;
var<workgroup> sweepRotations: u32;
var<workgroup> floorShared: f32;

fn at(job: Job, i: u32, j: u32) -> u32 { return job.offset + i * job.rowStride + j * job.colStride; }

// Pair `k` of round `r` among `even` slots; slot even−1 stays put, the rest rotate.
fn roundRobin(r: u32, k: u32, even: u32) -> vec2<u32> {
  let m = even - 1u;
  if (k == 0u) { return vec2<u32>(m, r); }
  return vec2<u32>((r + k) % m, (r + m - k) % m);
}

// The rotation (c, s) that orthogonalises two columns with |a|², |b|², a·b = v, or (1, 0).
fn rotation(v: vec3<f32>, floorNorm: f32) -> vec2<f32> {
  let alpha = v.x;
  let beta = v.y;
  let gamma = v.z;
  if (alpha <= floorNorm || beta <= floorNorm || abs(gamma) <= cfg.tol * sqrt(alpha) * sqrt(beta)) {
    return vec2<f32>(1.0, 0.0);
  }
  let zeta = (beta - alpha) / (2.0 * gamma);
  let t = sign(zeta + select(0.0, 1.0, zeta == 0.0)) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
  let c = inverseSqrt(1.0 + t * t);
  return vec2<f32>(c, c * t);
}

fn rotate(job: Job, p: u32, q: u32, cs: vec2<f32>) {
  for (var i = 0u; i < job.rows; i = i + 1u) {
    let ip = at(job, i, p);
    let iq = at(job, i, q);
    let x = data[ip];
    let y = data[iq];
    data[ip] = cs.x * x - cs.y * y;
    data[iq] = cs.y * x + cs.x * y;
  }
  if (job.accumulate != 0u) {
    for (var k = 0u; k < job.cols; k = k + 1u) {
      let kp = job.rotOffset + k * job.cols + p;
      let kq = job.rotOffset + k * job.cols + q;
      let x = rot[kp];
      let y = rot[kq];
      rot[kp] = cs.x * x - cs.y * y;
      rot[kq] = cs.y * x + cs.x * y;
    }
  }
}

@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) tid: u32) {
  let jobIndex = wg.y * cfg.groupsX + wg.x;
  if (jobIndex >= cfg.jobCount) { return; }
  if (tid == 0u) { jobShared = jobs[jobIndex]; }
  let job = workgroupUniformLoad(&jobShared);
  let cols = job.cols;
  let even = cols + (cols & 1u);
  let pairs = even / 2u;

  if (job.accumulate != 0u) {
    for (var k = tid; k < cols * cols; k = k + WG) {
      rot[job.rotOffset + k] = select(0.0, 1.0, k / cols == k % cols);
    }
  }

  // Columns below 1e-14 of the largest squared norm are rounding noise: leave them be.
  var localMax = 0.0;
  for (var j = tid; j < cols; j = j + WG) {
    var s = 0.0;
    for (var i = 0u; i < job.rows; i = i + 1u) {
      let x = data[at(job, i, j)];
      s = s + x * x;
    }
    localMax = max(localMax, s);
  }
  maxima[tid] = localMax;
  workgroupBarrier();
  for (var step = WG / 2u; step > 0u; step = step / 2u) {
    if (tid < step) { maxima[tid] = max(maxima[tid], maxima[tid + step]); }
    workgroupBarrier();
  }
  if (tid == 0u) { floorShared = maxima[0] * 1e-14; }
  let floorNorm = workgroupUniformLoad(&floorShared);
  storageBarrier();

  var sweep = 0u;
  while (cols >= 2u && sweep < cfg.maxSweeps) {
    if (tid == 0u) { atomicStore(&rotations, 0u); }
    workgroupBarrier();
    for (var r = 0u; r + 1u < even; r = r + 1u) {
      for (var k = tid; k < pairs; k = k + WG) {
        let pq = roundRobin(r, k, even);
        if (pq.x < cols && pq.y < cols) {
          var v = vec3<f32>(0.0);
          for (var i = 0u; i < job.rows; i = i + 1u) {
            let x = data[at(job, i, pq.x)];
            let y = data[at(job, i, pq.y)];
            v = v + vec3<f32>(x * x, y * y, x * y);
          }
          let cs = rotation(v, floorNorm);
          if (cs.y != 0.0) {
            rotate(job, pq.x, pq.y, cs);
            atomicAdd(&rotations, 1u);
          }
        }
      }
      storageBarrier();
    }
    if (tid == 0u) { sweepRotations = atomicLoad(&rotations); }
    let rotated = workgroupUniformLoad(&sweepRotations);
    if (rotated == 0u) { break; }
    sweep = sweep + 1u;
  }

  for (var j = tid; j < cols; j = j + WG) {
    var s = 0.0;
    for (var i = 0u; i < job.rows; i = i + 1u) {
      let x = data[at(job, i, j)];
      s = s + x * x;
    }
    sigma[job.sigmaOffset + j] = sqrt(s);
  }
}
