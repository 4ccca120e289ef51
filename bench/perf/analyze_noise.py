#!/usr/bin/env python3
"""The figures of issue #25 from bench/perf/noise.sh's documents (standard library only).

Usage: bench/perf/analyze_noise.py target/perf/noise [TAG ...]   (default tags: new old t3m12)

  repeats   per tag: each run's median and 95 % interval of dot-product × parallel-stream, whether it contains the
            median of the runs' medians, the half-widths
  aa        TAG-aa-a against TAG-aa-b, compared by the lab itself (a scratch server: conlab import, GET /api/compare):
            how many cells got a faster/slower verdict
  paired    TAG-paired-N: each sitting's JDK 25 ÷ 17 ratio per cell, paired, its interval, and whether it contains the
            other sitting's
  estimators TAG-paired-N: each round's JDK 25 ÷ 17 ratio of fork means, and four intervals over the rounds: Student's t
            on the log-ratios (the lab's), the median with the sign test's, Hodges-Lehmann with Wilcoxon's, a bootstrap
  disturbed TAG-disturbed: every fork of every cell with its other-processes share and verdict
  cost      TAG-cost-on-N / -off-N: wall times side by side
  pool      TAG-pool: coverage of intervals from F of the 40 forks, contiguous (as a run takes them) or drawn at random
  suite     TAG-suite: the whole default suite — its wall time, forks, and how many cells' intervals are within ±3 %
"""
import glob
import itertools
import json
import math
import os
import random
import re
import statistics as st
import subprocess
import sys
import tempfile
import time
import urllib.request

# Student's t, 0.975 quantile, by degrees of freedom
T = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179,
     13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042, 39: 2.023}


def t975(df):
    keys = sorted(T)
    for k in keys:
        if k >= df:
            return T[k]
    return 1.96


def cell(doc, workload, model):
    for c in doc['results']:
        if c['workload'] == workload and c['model'] == model:
            return c


def clean_forks(c):
    disturbed = {f['fork'] for f in (c.get('forks') or []) if f.get('disturbed')}
    forks = {}
    for s in c['samples']:
        if s.get('fork') in disturbed:
            continue
        forks.setdefault(s.get('fork'), []).append(s['wallNanos'] / 1e6)
    return forks


def summary(c):
    forks = clean_forks(c)
    values = [v for vs in forks.values() for v in vs]
    med = st.median(values)
    means = [st.mean(v) for v in forks.values()]
    if len(means) >= 2:
        g, h = st.mean(means), t975(len(means) - 1) * st.stdev(means) / math.sqrt(len(means))
    else:
        g, h = st.mean(values), t975(len(values) - 1) * st.stdev(values) / math.sqrt(len(values))
    return med, g - h, g + h, len(means)


def load(path):
    with open(path) as f:
        return json.load(f)


def load_if(path):
    """The document at path, or None when the experiment was not run."""
    return load(path) if os.path.exists(path) else None


def wall(json_path):
    """The run's wall time in seconds as /usr/bin/time wrote it beside its document ("?" without it)."""
    t = json_path.replace('.json', '.time')
    return open(t).read().split()[0] if os.path.exists(t) else '?'


def repeats(d, tag):
    files = sorted(glob.glob(f'{d}/{tag}-repeat-*.json'))
    if not files:
        return
    rows = [summary(cell(load(f), 'dot-product', 'parallel-stream')) for f in files]
    times = [wall(f) for f in files]
    m = st.median([r[0] for r in rows])
    print(f'\n## repeats ({tag}): dot-product × parallel-stream, {len(rows)} runs; median of the medians {m:.2f} ms')
    print('| run | median | 95 % CI | ± % | forks | contains it? | wall time |')
    print('| ---: | ---: | ---: | ---: | ---: | --- | ---: |')
    inside = 0
    widths = []
    for i, (med, lo, hi, n) in enumerate(rows, 1):
        ok = lo <= m <= hi
        inside += ok
        widths.append((hi - lo) / 2 / med * 100)
        print(f'| {i} | {med:.2f} ms | {lo:.2f} – {hi:.2f} ms | {widths[-1]:.1f} | {n} | {"yes" if ok else "no"} | {times[i - 1]} s |')
    print(f'{inside} of {len(rows)} contain the median of the medians; median half-width {st.median(widths):.1f} % (max {max(widths):.1f} %)')


class Scratch:
    """A lab server of its own on a scratch database, to compare documents with the lab's own code."""

    def __init__(self, docs):
        self.dir = tempfile.mkdtemp(prefix='conlab-noise-')
        out = subprocess.run(['./conlab', 'import', '--data-dir', self.dir] + docs, capture_output=True, text=True, check=True).stdout
        self.ids = {}
        for line in out.splitlines():
            m = re.match(r'(.*): imported as run (\d+)', line)
            if m:
                self.ids[m.group(1)] = int(m.group(2))
        self.port = 7391
        self.proc = subprocess.Popen(['./conlab', 'serve', '--no-sample-data', '--data-dir', self.dir, '--port', str(self.port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(120):
            try:
                urllib.request.urlopen(f'http://127.0.0.1:{self.port}/api/health', timeout=1)
                return
            except Exception:
                time.sleep(0.5)
        raise RuntimeError('the scratch server did not start')

    def compare(self, base, other):
        url = f'http://127.0.0.1:{self.port}/api/compare?runs={self.ids[base]},{self.ids[other]}&baseline={self.ids[base]}'
        return json.load(urllib.request.urlopen(url))

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def verdicts(comparison):
    rows = []
    for block in comparison['workloads']:
        for row in block['rows']:
            e = row['entries'][1]
            if e.get('ratio') is None:
                continue
            rows.append((block['workload'], row['model'], e['ratio'], e['ratioLow'], e['ratioHigh'], e['p'], e['verdict'],
                         e.get('paired'), e.get('rounds')))
    return rows


def aa(d, tags):
    pairs = [(t, f'{d}/{t}-aa-a.json', f'{d}/{t}-aa-b.json') for t in tags if os.path.exists(f'{d}/{t}-aa-b.json')]
    if not pairs:
        return
    lab = Scratch([p for _, a, b in pairs for p in (a, b)])
    try:
        for tag, a, b in pairs:
            rows = verdicts(lab.compare(a, b))
            decided = [r for r in rows if r[6] in ('faster', 'slower')]
            print(f'\n## A/A ({tag}): the same command twice in a row, compared — {len(decided)} of {len(rows)} cells got a verdict '
                  f'(the 5 % level allows {0.05 * len(rows):.1f})')
            print('| workload | model | ratio | 95 % CI | p | verdict |')
            print('| --- | --- | ---: | ---: | ---: | --- |')
            for r in rows:
                print(f'| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.3f} – {r[4]:.3f} | {r[5]:.3g} | {r[6]} |')
            widths = [(r[4] - r[3]) / 2 * 100 for r in rows]
            print(f'median ratio half-width {st.median(widths):.1f} %, widest {max(widths):.1f} %')
    finally:
        lab.close()


def paired(d, tag):
    files = sorted(glob.glob(f'{d}/{tag}-paired-*-jdk17.json'))
    if not files:
        return
    sittings = [(f, f.replace('jdk17', 'jdk25')) for f in files]
    lab = Scratch([p for s in sittings for p in s])
    try:
        results = [{(r[0], r[1]): r for r in verdicts(lab.compare(a, b))} for a, b in sittings]
    finally:
        lab.close()
    print(f'\n## paired ({tag}): JDK 25 ÷ JDK 17, interleaved, {len(sittings)} sittings')
    print('| cell | sitting | ratio | 95 % CI | ± % | paired, rounds | contains the other sitting\'s ratio? |')
    print('| --- | ---: | ---: | ---: | ---: | --- | --- |')
    for key in results[0]:
        for i, res in enumerate(results):
            r = res[key]
            other = results[1 - i][key][2] if len(results) == 2 else None
            inside = '' if other is None else ('yes' if r[3] <= other <= r[4] else 'no')
            print(f'| {key[0]} × {key[1]} | {i + 1} | {r[2]:.3f} | {r[3]:.3f} – {r[4]:.3f} | {(r[4] - r[3]) / 2 * 100:.1f} | {r[7]}, {r[8]} | {inside} |')


def round_means(doc, workload, model):
    """{round: mean of the clean fork's samples, ms} of one cell."""
    c = cell(doc, workload, model)
    rounds = {f['fork']: f.get('round') for f in c['forks']}
    return {rounds[fork]: st.mean(walls) for fork, walls in clean_forks(c).items()}


def sign_interval(x):
    """The median's distribution-free 95 % interval: order statistics k and n + 1 − k (the sign test)."""
    n, xs = len(x), sorted(x)
    k = max(k for k in range(1, n // 2 + 1) if sum(math.comb(n, i) for i in range(k)) / 2 ** n <= 0.025)
    return xs[k - 1], xs[n - k]


# Wilcoxon's signed-rank test, two-sided 5 %: the largest critical value T by n (the interval drops T Walsh averages each side)
WILCOXON = {8: 3, 9: 5, 10: 8, 11: 10, 12: 13, 13: 17, 14: 21, 15: 25, 16: 29, 17: 34, 18: 40, 19: 46, 20: 52}


def hodges_lehmann(x):
    walsh = sorted((a + b) / 2 for a, b in itertools.combinations_with_replacement(x, 2))
    t = WILCOXON[len(x)]
    return st.median(walsh), walsh[t], walsh[len(walsh) - t - 1]


def bootstrap_mean(x, b=20000, seed=1):
    rng = random.Random(seed)
    means = sorted(st.mean(rng.choices(x, k=len(x))) for _ in range(b))
    return means[int(0.025 * b)], means[int(0.975 * b) - 1]


def estimators(d, tag):
    files = sorted(glob.glob(f'{d}/{tag}-paired-*-jdk17.json'))
    if not files:
        return
    print(f'\n## paired estimators ({tag}): JDK 25 ÷ JDK 17 per round (fork means, ms), and four 95 % intervals over the rounds')
    print('| cell | sitting | rounds: JDK 17 / JDK 25 = ratio | t on log-ratios | median, sign test | Hodges-Lehmann, Wilcoxon | bootstrap of the mean |')
    print('| --- | ---: | --- | --- | --- | --- | --- |')
    for i, f in enumerate(files):
        a, b = load(f), load(f.replace('jdk17', 'jdk25'))
        for c in a['results']:
            if c['status'] != 'ok':
                continue
            m17, m25 = round_means(a, c['workload'], c['model']), round_means(b, c['workload'], c['model'])
            rounds = sorted(set(m17) & set(m25))
            if len(rounds) < 8:
                continue
            lr = [math.log(m25[r] / m17[r]) for r in rounds]
            mean, h = st.mean(lr), t975(len(lr) - 1) * st.stdev(lr) / math.sqrt(len(lr))
            hl, hl_low, hl_high = hodges_lehmann(lr)
            fmt = lambda mid, low, high: (f'{math.exp(mid):.3f} ({math.exp(low):.3f}–{math.exp(high):.3f}, '
                                          f'±{(math.exp(high) - math.exp(low)) / 2 / math.exp(mid) * 100:.1f} %)')
            pairs = ' '.join(f'{m17[r]:.0f}/{m25[r]:.0f}={m25[r] / m17[r]:.2f}' for r in rounds)
            print(f"| {c['workload']} × {c['model']} | {i + 1} | {pairs} | {fmt(mean, mean - h, mean + h)} | "
                  f"{fmt(st.median(lr), *sign_interval(lr))} | {fmt(hl, hl_low, hl_high)} | {fmt(mean, *bootstrap_mean(lr))} |")


def disturbed(d, tag):
    path = f'{d}/{tag}-disturbed.json'
    doc = load_if(path)
    if doc is None:
        return
    print(f'\n## disturbed ({tag}): two busy processes 15 s into the run, for 6 s')
    print('| cell | fork | round | window | other share | max in a second | capacity before → after | disturbed |')
    print('| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |')
    for c in doc['results']:
        for f in c.get('forks') or []:
            m = f['machine'] or {}
            before = (m.get('before') or {}).get('parallelism')
            after = (m.get('after') or {}).get('parallelism')
            print(f"| {c['workload']} × {c['model']} | {f['fork']} | {f.get('round')} | {(m.get('windowNanos') or 0) / 1e9:.2f} s | "
                  f"{m.get('otherShare')} | {m.get('otherShareMaxSecond')} | {before} → {after} | {f.get('disturbed') or '—'} |")


def cost(d, tag):
    on = [float(open(f).read().split()[0]) for f in sorted(glob.glob(f'{d}/{tag}-cost-on-*.time'))]
    off = [float(open(f).read().split()[0]) for f in sorted(glob.glob(f'{d}/{tag}-cost-off-*.time'))]
    if not on or not off:
        return
    print(f'\n## cost ({tag}): the same run with and without the machine probe, alternately')
    print(f'with the probe: {", ".join(f"{v:.1f}" for v in on)} s (median {st.median(on):.1f}); without: '
          f'{", ".join(f"{v:.1f}" for v in off)} s (median {st.median(off):.1f}); '
          f'ratio of the medians {st.median(on) / st.median(off):.3f}; per pair {", ".join(f"{a / b:.3f}" for a, b in zip(on, off))}')


def pool(d, tag):
    path = f'{d}/{tag}-pool.json'
    doc = load_if(path)
    if doc is None:
        return
    print(f'\n## pool ({tag}): intervals from F of the forks, taken as a run takes them (contiguous) or at random')
    for c in doc['results']:
        forks = clean_forks(c)
        keys = sorted(forks)
        truth = st.median([v for vs in forks.values() for v in vs])
        means = [st.mean(forks[k]) for k in keys]
        print(f"{c['workload']} × {c['model']}: {len(keys)} clean forks, median of all samples {truth:.1f} ms, "
              f"fork means' sd {st.stdev(means) / st.mean(means) * 100:.1f} %")
        caps = []
        for k in keys:
            f = next(x for x in c['forks'] if x['fork'] == k)
            m = f['machine']
            caps.append(((m['before']['parallelism'] + m['after']['parallelism']) / 2))
        mc, mm = st.mean(caps), st.mean(means)
        cov = sum((a - mc) * (b - mm) for a, b in zip(caps, means)) / (len(means) - 1)
        r = cov / (st.stdev(caps) * st.stdev(means)) if st.stdev(caps) > 0 else 0
        print(f'  capacity and fork time: correlation {r:.2f}, R² {r * r:.2f}')
        print('| F | contiguous: ± % | coverage | at random: ± % | coverage |')
        print('| ---: | ---: | ---: | ---: | ---: |')
        rnd = random.Random(1)
        for F in (3, 5, 8, 10, 12, 15, 20):
            out = []
            for mode in ('block', 'random'):
                widths, hits, n = [], 0, 0
                subsets = ([keys[i:i + F] for i in range(len(keys) - F + 1)] if mode == 'block'
                           else [rnd.sample(keys, F) for _ in range(400)])
                for sub in subsets:
                    ms = [st.mean(forks[k]) for k in sub]
                    g, h = st.mean(ms), t975(F - 1) * st.stdev(ms) / math.sqrt(F)
                    med = st.median([v for k in sub for v in forks[k]])
                    widths.append(h / med * 100)
                    hits += g - h <= truth <= g + h
                    n += 1
                out.append((st.median(widths), hits / n))
            print(f'| {F} | {out[0][0]:.1f} | {out[0][1]:.2f} | {out[1][0]:.1f} | {out[1][1]:.2f} |')


def suite(d, tag):
    path = f'{d}/{tag}-suite.json'
    doc = load_if(path)
    if doc is None:
        return
    rows = []
    for c in doc['results']:
        if c['status'] != 'ok':
            continue
        med, lo, hi, n = summary(c)
        forks = c.get('forks') or []
        rows.append((c['workload'], c['model'], (hi - lo) / 2 / med * 100, n, sum(1 for f in forks if f.get('disturbed'))))
    widths = sorted(r[2] for r in rows)
    within = [r for r in rows if r[2] <= 3.0]
    statuses = {}
    for c in doc['results']:
        statuses[c['status']] = statuses.get(c['status'], 0) + 1
    print(f'\n## suite ({tag}): the default suite, JDK {(doc.get("jvm") or {}).get("version", "?")}: {wall(path)} s wall; cells {statuses}')
    print(f'clean forks {sum(r[3] for r in rows)} (per cell median {st.median([r[3] for r in rows])}, max {max(r[3] for r in rows)}), '
          f'disturbed {sum(r[4] for r in rows)}; half-width median {st.median(widths):.1f} %, quartiles '
          f'{widths[len(widths) // 4]:.1f} – {widths[3 * len(widths) // 4]:.1f} %, max {widths[-1]:.1f} %; '
          f'{len(within)} of {len(rows)} cells within ±3 %, {sum(1 for w in widths if w <= 5)} within ±5 %')
    print('| cell | clean forks | ± % | disturbed |')
    print('| --- | ---: | ---: | ---: |')
    for w, m, h, n, dist in sorted(rows, key=lambda r: -r[2])[:15]:
        print(f'| {w} × {m} | {n} | {h:.1f} | {dist} |')


def main():
    d = sys.argv[1]
    tags = sys.argv[2:] or ['new', 'old', 't3m12']
    for t in tags:
        repeats(d, t)
    aa(d, tags)
    for t in tags:
        paired(d, t)
        estimators(d, t)
        disturbed(d, t)
        cost(d, t)
        pool(d, t)
        suite(d, t)


if __name__ == '__main__':
    main()
