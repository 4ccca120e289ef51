#!/usr/bin/env python3
# The six repeated runs of bench/perf/forks.sh: does each run's interval contain the median of the six medians?
# Usage: bench/perf/analyze_forks.py target/perf/forks
import json, statistics, glob, sys
T = {1: 12.7062, 2: 4.3027, 3: 3.1824, 4: 2.7764, 5: 2.5706, 6: 2.4469, 7: 2.3646, 8: 2.3060, 9: 2.2622, 10: 2.2281, 14: 2.1448}
def cell(doc, workload, model):
    for c in doc['results']:
        if c['workload'] == workload and c['model'] == model: return c
def summary(c):
    xs = [s['wallNanos'] / 1e6 for s in c['samples']]
    med = statistics.median(xs)
    forks = {}
    for s in c['samples']: forks.setdefault(s.get('fork'), []).append(s['wallNanos'] / 1e6)
    if len(forks) >= 2:
        means = [statistics.mean(v) for v in forks.values()]
        g = statistics.mean(means); h = T[len(means) - 1] * statistics.stdev(means) / len(means) ** 0.5
    else:
        g = statistics.mean(xs); h = T[len(xs) - 1] * statistics.stdev(xs) / len(xs) ** 0.5
    return med, g - h, g + h
d = sys.argv[1]
rows = []
for i in range(1, 7):
    doc = json.load(open(f'{d}/repeat-{i}.json'))
    rows.append(summary(cell(doc, 'dot-product', 'parallel-stream')))
medians = [r[0] for r in rows]
m6 = statistics.median(medians)
print('median of the six medians: %.2f ms; spread of the medians %.1f %%' % (m6, (max(medians) - min(medians)) / min(medians) * 100))
ok = 0
for i, (med, lo, hi) in enumerate(rows, 1):
    inside = lo <= m6 <= hi; ok += inside
    print('run %d: median %.2f ms, 95 %% CI [%.2f, %.2f] (±%.1f %%) contains %.2f: %s' % (i, med, lo, hi, (hi - lo) / 2 / med * 100, m6, 'yes' if inside else 'NO'))
print('%d of 6 intervals contain the median of the six' % ok)
