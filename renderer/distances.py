"""Distances between sets of image features (a reader's): Fréchet distance, mean pairwise distance, and
how near fused children sit to their parents and to their parents' midpoint (:mod:`renderer.independent_eval`)."""

from __future__ import annotations

import numpy as np


def frechet_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Fréchet distance between Gaussians fitted to feature sets a (N, D) and b (M, D)."""
    mu_a, mu_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    # Tr sqrt(A B) = Tr sqrt(A^1/2 B A^1/2), both symmetric PSD: use eigh, no scipy needed.
    w, v = np.linalg.eigh(cov_a)
    root_a = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    inner = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_sqrt = np.sqrt(np.clip(inner, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt)


def mean_pairwise_distance(features: np.ndarray) -> float:
    """Mean Euclidean distance over all distinct pairs of rows of (N, D) features."""
    d = np.sqrt(((features[:, None, :] - features[None, :, :]) ** 2).sum(-1))
    n = len(features)
    return float(d.sum() / (n * (n - 1)))


def heredity_measures(
    fa: np.ndarray, fb: np.ndarray, fs: np.ndarray, children: dict[str, np.ndarray]
) -> dict[str, dict[str, float]]:
    """Per fusion mode, from (N, D) features of parents A and B, strangers and each mode's children
    (row i: the child of A[i] and B[i]): ``parents`` = mean child-to-parents distance over the
    stranger's, ``midpoint`` = mean distance to (A + B) / 2 over the stranger's."""
    dist = lambda u, v: np.sqrt(((u - v) ** 2).sum(axis=1))
    midpoint = (fa + fb) / 2
    stranger_to_parents = (dist(fs, fa) + dist(fs, fb)).mean() / 2
    stranger_to_midpoint = dist(fs, midpoint).mean()
    return {
        name: {
            "parents": float((dist(fc, fa) + dist(fc, fb)).mean() / 2 / stranger_to_parents),
            "midpoint": float(dist(fc, midpoint).mean() / stranger_to_midpoint),
        }
        for name, fc in children.items()
    }
