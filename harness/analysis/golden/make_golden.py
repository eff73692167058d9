#!/usr/bin/env python3
"""Golden values for harness/analysis/stats, computed independently of the TypeScript code.

Regenerate from the repository root with:

    python3 harness/analysis/golden/make_golden.py

Python 3.11 standard library only (no scipy on the machines this was written on):
- Mann-Whitney exact p-values come from the Gaussian binomial coefficient
  [m+n choose m]_q, whose coefficient of q^u counts the orderings with U = u, in exact integer
  arithmetic; small cases are cross-checked by enumerating every split of the pooled ranks.
- Normal-approximation p-values use average ranks, the tie-corrected variance, a continuity
  correction of 0.5 and math.erfc for the tail.
- Bootstrap intervals re-implement the seeded generator (mulberry32), resampling with
  replacement (index = floor(u * n)), the median and the linear (type 7) quantile.
"""

import itertools
import json
import math
from fractions import Fraction
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXACT_MAX_SAMPLE = 30


def average_ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def u_statistic(a, b):
    ranks = average_ranks(a + b)
    return sum(ranks[: len(a)]) - len(a) * (len(a) + 1) / 2


def poly_mul(p, q):
    out = [0] * (len(p) + len(q) - 1)
    for i, x in enumerate(p):
        for j, y in enumerate(q):
            out[i + j] += x * y
    return out


def poly_div_exact(p, q):
    p = list(p)
    out = [0] * (len(p) - len(q) + 1)
    for i in range(len(out) - 1, -1, -1):
        coef = p[i + len(q) - 1] // q[-1]
        out[i] = coef
        for j, y in enumerate(q):
            p[i + j] -= coef * y
    assert all(x == 0 for x in p), 'division left a remainder'
    return out


def gaussian_binomial_counts(m, n):
    """Coefficients of prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i)."""
    numerator = [1]
    denominator = [1]
    for i in range(1, m + 1):
        numerator = poly_mul(numerator, [1] + [0] * (n + i - 1) + [-1])
        denominator = poly_mul(denominator, [1] + [0] * (i - 1) + [-1])
    return poly_div_exact(numerator, denominator)


def enumerated_counts(m, n):
    counts = [0] * (m * n + 1)
    for chosen in itertools.combinations(range(m + n), m):
        rank_sum = sum(r + 1 for r in chosen)
        counts[rank_sum - m * (m + 1) // 2] += 1
    return counts


def exact_p(m, n, u):
    counts = gaussian_binomial_counts(m, n)
    if m + n <= 16:
        assert counts == enumerated_counts(m, n)
    total = sum(counts)
    at_most = sum(c for value, c in enumerate(counts) if value <= u)
    at_least = sum(c for value, c in enumerate(counts) if value >= u)
    return float(min(Fraction(1), Fraction(2 * min(at_most, at_least), total)))


def normal_p(a, b, u):
    m, n = len(a), len(b)
    size = m + n
    pooled = sorted(a + b)
    tie_term = 0
    for _, group in itertools.groupby(pooled):
        t = len(list(group))
        tie_term += t**3 - t
    variance = m * n / 12 * (size + 1 - tie_term / (size * (size - 1)))
    if variance <= 0:
        return 1.0
    z = (abs(u - m * n / 2) - 0.5) / math.sqrt(variance)
    return min(1.0, math.erfc(z / math.sqrt(2)))


def mann_whitney(a, b):
    u = u_statistic(a, b)
    has_ties = len(set(a + b)) < len(a + b)
    if not has_ties and len(a) <= EXACT_MAX_SAMPLE and len(b) <= EXACT_MAX_SAMPLE:
        return {'u': u, 'p': exact_p(len(a), len(b), int(u)), 'method': 'exact'}
    return {'u': u, 'p': normal_p(a, b, u), 'method': 'normal'}


def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def imul(x, y):
        return (x * y) & 0xFFFFFFFF

    def next_value():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return next_value


def median(values):
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def quantile_type7(sorted_values, p):
    idx = (len(sorted_values) - 1) * p
    lower = math.floor(idx)
    upper = math.ceil(idx)
    return sorted_values[lower] + (idx - lower) * (sorted_values[upper] - sorted_values[lower])


def bootstrap(a, b, iterations, confidence, seed):
    random = mulberry32(seed)
    differences = []
    for _ in range(iterations):
        ra = [a[math.floor(random() * len(a))] for _ in a]
        rb = [b[math.floor(random() * len(b))] for _ in b]
        differences.append(median(rb) - median(ra))
    differences.sort()
    tail = (1 - confidence) / 2
    return {
        'difference': median(b) - median(a),
        'low': quantile_type7(differences, tail),
        'high': quantile_type7(differences, 1 - tail),
    }


STORM = [96.8, 97.1, 96.5, 97.3, 96.9, 98.2]
CLEAN = [0.1, 0.0, 0.2, 0.4, 0.3, 0.05]
MANN_WHITNEY_CASES = [
    ('one each', [1.0], [2.0]),
    ('three against three, separated', [1.0, 2.0, 3.0], [4.0, 5.0, 6.0]),
    ('four against four, separated', [0.1, 0.2, 0.3, 0.4], [96.5, 96.8, 97.1, 97.3]),
    ('interleaved', [1.0, 4.0, 5.0, 8.0, 9.0], [2.0, 3.0, 6.0, 7.0, 10.0, 11.0]),
    ('storm against clean medians', CLEAN, STORM),
    ('unequal sizes', [3.1, 7.4, 2.2], [5.5, 9.9, 1.1, 8.8, 6.6, 4.4, 0.5]),
    ('exact at the size limit', [i * 1.5 for i in range(30)], [i * 1.5 + 0.7 for i in range(30)]),
    ('above the exact limit', [float(i) for i in range(31)], [i + 0.5 for i in range(31)]),
    ('ties', [0.0, 0.0, 1.0, 2.0, 2.0], [0.0, 2.0, 3.0, 3.0, 4.0]),
    ('all equal', [0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]),
    ('idle intervals with ticks', [0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 0.0, 0.0, 1.0],
     [0.0, 1.0, 0.0, 0.0, 3.0, 1.0, 0.0, 2.0, 0.0, 1.0]),
    ('storm intervals with ties', [97.0, 96.0, 99.0, 97.0, 98.0, 96.0, 97.0, 99.0],
     [0.0, 0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 0.0]),
]

BOOTSTRAP_CASES = [
    ('storm against clean medians', CLEAN, STORM, 2000, 0.95, 1),
    ('interleaved', [1.0, 4.0, 5.0, 8.0, 9.0], [2.0, 3.0, 6.0, 7.0, 10.0, 11.0], 5000, 0.9, 42),
    ('odd and even sizes', [3.1, 7.4, 2.2], [5.5, 9.9, 1.1, 8.8, 6.6, 4.4, 0.5], 3000, 0.95, 7),
    ('constant', [0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], 500, 0.95, 3),
]


def main():
    mann_whitney_golden = [
        {'name': name, 'a': a, 'b': b, **mann_whitney(a, b)} for name, a, b in MANN_WHITNEY_CASES
    ]
    bootstrap_golden = [
        {
            'name': name,
            'a': a,
            'b': b,
            'iterations': iterations,
            'confidence': confidence,
            'seed': seed,
            **bootstrap(a, b, iterations, confidence, seed),
        }
        for name, a, b, iterations, confidence, seed in BOOTSTRAP_CASES
    ]
    draws = mulberry32(12345)
    first_draws = {'seed': 12345, 'values': [draws() for _ in range(5)]}
    for name, content in [
        ('mann-whitney.json.golden', mann_whitney_golden),
        ('bootstrap.json.golden', bootstrap_golden),
        ('seeded-random.json.golden', first_draws),
    ]:
        (HERE / name).write_text(json.dumps(content, indent=1) + '\n')


if __name__ == '__main__':
    main()
