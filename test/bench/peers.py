#!/usr/bin/python3
"""The routes a researcher would use instead of Poolscope, run by `npm run bench` on the very clouds
it measures (written by test/bench/socm-routes.ts to a temporary file). Prints one JSON object.

  peers.py peak                 float64 and float32 matmul GFLOP/s (NumPy/OpenBLAS, all cores)
  peers.py one FILE REPEATS     per-pair time and d2 of the pytorch-fid route (scipy.linalg.sqrtm of
                                Σ_A Σ_B) and the torchmetrics route (eigenvalues of Σ_A Σ_B)
  peers.py pairs FILE           all pairs: one Gram of every text's centred tokens, then batched
                                singular values of the pairs' blocks, in PyTorch float32 and float64
                                and in NumPy float64; wall and CPU seconds (all threads) of each

FILE: a JSON header line {"texts": [[n, d], ...]}, then the
tokens of every text as little-endian float64, row-major, text after text.
Needs Debian's python3-numpy, python3-scipy and python3-torch (the bench skips what is missing).
"""
import json
import os
import sys
import time

import numpy as np


def load(path):
    with open(path, 'rb') as f:
        header = json.loads(f.readline())
        data = np.frombuffer(f.read(), dtype='<f8')
    texts, at = [], 0
    for n, d in header['texts']:
        texts.append(data[at:at + n * d].reshape(n, d))
        at += n * d
    return header, texts


def normalise(x):
    """The spec's normalisation: X~ = X / ||mean(X)||; returns (μ, C = X~ − 1μᵀ)."""
    x = x / np.linalg.norm(x.mean(axis=0))
    mu = x.mean(axis=0)
    return mu, x - mu


def d2_from_cross(tr_a, tr_b, cross):
    return max(0.0, tr_a + tr_b - 2.0 * cross) / 4.0


def median_time(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2], out


def peak():
    out = {'threads': os.cpu_count()}
    for name, dtype, size in (('float64', np.float64, 2048), ('float32', np.float32, 3072)):
        a = np.random.default_rng(0).standard_normal((size, size)).astype(dtype)
        seconds = min(median_time(lambda: a @ a, 1)[0] for _ in range(7))  # best of 7: the peak, on a shared machine
        out[name] = 2 * size ** 3 / seconds / 1e9
    return out


def one(path, repeats):
    import scipy.linalg
    result = {'scipy': [], 'torchmetrics': []}
    try:
        import torch
        torch.set_num_threads(os.cpu_count())
    except ImportError:
        torch = None
    _, texts = load(path)
    for k in range(0, len(texts), 2):
        (mu_a, c_a), (mu_b, c_b) = normalise(texts[k]), normalise(texts[k + 1])
        # pytorch-fid: population covariances (the spec's Σ = CᵀC/n), sqrtm of the product.
        def fid():
            sa = c_a.T @ c_a / len(c_a)
            sb = c_b.T @ c_b / len(c_b)
            root = scipy.linalg.sqrtm(sa @ sb)
            return d2_from_cross(np.trace(sa), np.trace(sb), float(np.trace(root).real))
        seconds, d2 = median_time(fid, repeats)
        result['scipy'].append({'ms': seconds * 1e3, 'd2': d2})
        if torch is not None:
            ta = torch.from_numpy(c_a)
            tb = torch.from_numpy(c_b)
            def tm():
                sa = ta.T @ ta / len(c_a)
                sb = tb.T @ tb / len(c_b)
                cross = torch.linalg.eigvals(sa @ sb).sqrt().real.sum().item()
                return d2_from_cross(torch.trace(sa).item(), torch.trace(sb).item(), cross)
            seconds, d2 = median_time(tm, repeats)
            result['torchmetrics'].append({'ms': seconds * 1e3, 'd2': d2})
    return result


def all_pairs(path):
    header, texts = load(path)
    K = len(texts)
    parts = [normalise(x) for x in texts]
    traces = np.array([(c * c).sum() / len(c) for _, c in parts])
    ns = np.array([len(c) for _, c in parts])
    width = int(ns.max())
    i_idx, j_idx = np.triu_indices(K, 1)
    out = {'pairs': len(i_idx), 'routes': []}

    def rows_index(lib, zero_row):
        # Each text's row indices into the stacked tokens, padded to `width` with an all-zero row:
        # zero rows and columns add only zero singular values.
        offsets = np.concatenate([[0], np.cumsum(ns)])
        idx = np.full((K, width), zero_row, dtype=np.int64)
        for t in range(K):
            idx[t, :ns[t]] = np.arange(offsets[t], offsets[t + 1])
        return lib(idx)

    def finish(name, seconds, cpu, nuclear):
        cross = nuclear / np.sqrt(ns[i_idx] * ns[j_idx])
        d2 = np.maximum(0, traces[i_idx] + traces[j_idx] - 2 * cross) / 4
        out['routes'].append({'name': name, 'seconds': seconds, 'cpu_seconds': cpu, 'mean_d2': float(d2.mean())})

    try:
        import torch
        torch.set_num_threads(os.cpu_count())
        for dtype, name in ((torch.float32, 'PyTorch float32'), (torch.float64, 'PyTorch float64')):
            t, c = time.perf_counter(), time.process_time()
            stacked = torch.cat([torch.from_numpy(c) for _, c in parts] + [torch.zeros(1, texts[0].shape[1], dtype=torch.float64)]).to(dtype)
            gram = stacked @ stacked.T           # one Gram of all tokens (zero row last)
            idx = rows_index(torch.from_numpy, stacked.shape[0] - 1)
            nuclear = np.empty(len(i_idx))
            batch = 4096
            for s in range(0, len(i_idx), batch):
                a = idx[torch.from_numpy(i_idx[s:s + batch])]
                b = idx[torch.from_numpy(j_idx[s:s + batch])]
                blocks = gram[a[:, :, None], b[:, None, :]]
                nuclear[s:s + batch] = torch.linalg.svdvals(blocks).sum(dim=1).double().numpy()
            finish(name, time.perf_counter() - t, time.process_time() - c, nuclear)
    except ImportError:
        out['torch_missing'] = True

    t, c = time.perf_counter(), time.process_time()
    stacked = np.concatenate([c for _, c in parts] + [np.zeros((1, texts[0].shape[1]))])
    gram = stacked @ stacked.T
    idx = rows_index(lambda x: x, stacked.shape[0] - 1)
    nuclear = np.empty(len(i_idx))
    batch = 4096
    for s in range(0, len(i_idx), batch):
        blocks = gram[idx[i_idx[s:s + batch]][:, :, None], idx[j_idx[s:s + batch]][:, None, :]]
        nuclear[s:s + batch] = np.linalg.svd(blocks, compute_uv=False).sum(axis=1)
    finish('NumPy float64', time.perf_counter() - t, time.process_time() - c, nuclear)
    return out


if __name__ == '__main__':
    command = sys.argv[1]
    if command == 'peak':
        print(json.dumps(peak()))
    elif command == 'one':
        print(json.dumps(one(sys.argv[2], int(sys.argv[3]))))
    elif command == 'pairs':
        print(json.dumps(all_pairs(sys.argv[2])))
    else:
        sys.exit(f'unknown command {command}')
