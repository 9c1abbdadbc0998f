#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""Turn DIR/raw.jsonl (one record per scenario and repetition, written by
bench/run) into DIR/results.json, DIR/results.md and, when gnuplot is
there, DIR/results.png.

    report.py [--secs S] [--reps N] DIR
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys

# (key, heading, unit, higher is better)
METRICS = [
    ("tcp1_mbps", "TCP 1 stream", "Mbit/s", True),
    ("tcp4_mbps", "TCP 4 streams", "Mbit/s", True),
    ("udp1400_pps", "UDP 1400 B", "packets/s", True),
    ("udp64_pps", "UDP 64 B", "packets/s", True),
    ("ping_idle_p50_us", "ping idle p50", "µs", False),
    ("ping_idle_p99_us", "ping idle p99", "µs", False),
    ("ping_load_p50_us", "ping loaded p50", "µs", False),
    ("ping_load_p99_us", "ping loaded p99", "µs", False),
    ("cpu_s_per_gb_a", "CPU a (sends)", "s/GB", False),
    ("cpu_s_per_gb_b", "CPU b (receives)", "s/GB", False),
    ("peak_rss_kb_a", "peak memory a", "KiB", False),
    ("peak_rss_kb_b", "peak memory b", "KiB", False),
]
REFERENCES = [("strongswan", "strongSwan"), ("wireguard-go", "wireguard-go")]
RATIO_METRICS = ["tcp1_mbps", "tcp4_mbps", "udp1400_pps", "udp64_pps",
                 "cpu_s_per_gb_a", "cpu_s_per_gb_b"]
CHART = [("tcp1_mbps", 1, "TCP, 1 stream (Mbit/s)"),
         ("tcp4_mbps", 1, "TCP, 4 streams (Mbit/s)"),
         ("udp1400_pps", 1e3, "UDP 1400 B without loss (kpackets/s)"),
         ("udp64_pps", 1e3, "UDP 64 B without loss (kpackets/s)"),
         ("ping_idle_p50_us", 1, "ping idle, p50 (µs)"),
         ("cpu_s_per_gb_b", 1, "CPU of the receiving daemon (s/GB)")]


def flatten(fig):
    """{"cpu_s_per_gb": {"a": x}} becomes {"cpu_s_per_gb_a": x}."""
    out = {}
    for k, v in fig.items():
        if isinstance(v, dict):
            for side, x in v.items():
                out["%s_%s" % (k, side)] = x
        else:
            out[k] = v
    return out


def summarise(records):
    """scenario -> metric -> {median, min, max, values}, in first-seen order."""
    values = {}
    for r in records:
        per = values.setdefault(r["scenario"], {})
        for k, v in flatten(r["figures"]).items():
            if v is not None:
                per.setdefault(k, []).append(v)
    return {s: {k: {"median": statistics.median(v), "min": min(v), "max": max(v), "values": v}
                for k, v in per.items()}
            for s, per in values.items()}


def ratios(summary):
    """scenario -> reference -> metric -> this median / the reference's."""
    out = {}
    for s, per in summary.items():
        for ref, _ in REFERENCES:
            if ref not in summary or ref == s:
                continue
            for k in RATIO_METRICS:
                a, b = per.get(k), summary[ref].get(k)
                if a and b and b["median"]:
                    out.setdefault(s, {}).setdefault(ref, {})[k] = a["median"] / b["median"]
    return out


def fmt(x):
    if x is None:
        return "–"
    if x >= 100:
        return "%.0f" % x
    if x >= 10:
        return "%.1f" % x
    return "%.2f" % x


def cell(m):
    if m is None:
        return "–"
    if m["min"] == m["max"]:
        return fmt(m["median"])
    return "%s (%s–%s)" % (fmt(m["median"]), fmt(m["min"]), fmt(m["max"]))


def markdown(summary, rat, meta):
    lines = ["# ifsec bench, %s" % meta["date"], "",
             "%d repetition(s), TCP runs of %d s, %s, %d cores, Linux %s. "
             "Medians, with min–max over the repetitions." %
             (meta["repetitions"], meta["seconds"], meta["cpu"], meta["cores"], meta["kernel"]),
             ""]
    present = [m for m in METRICS if any(m[0] in per for per in summary.values())]
    lines.append("| scenario | " + " | ".join("%s (%s)" % (h, u) for _, h, u, _ in present) + " |")
    lines.append("|---|" + "---:|" * len(present))
    for s, per in summary.items():
        lines.append("| %s | " % s + " | ".join(cell(per.get(k)) for k, _, _, _ in present) + " |")
    refs = [(r, name) for r, name in REFERENCES if r in summary]
    if refs:
        lines += ["", "Ratios of medians (throughput: higher is better; CPU: lower is better)", ""]
        cols = [(k, r, name) for k in RATIO_METRICS for r, name in refs
                if any(k in rat.get(s, {}).get(r, {}) for s in summary)]
        head = {k: h for k, h, _, _ in METRICS}
        lines.append("| scenario | " + " | ".join("%s ÷ %s" % (head[k], name)
                                                  for k, _, name in cols) + " |")
        lines.append("|---|" + "---:|" * len(cols))
        for s in summary:
            r = rat.get(s, {})
            lines.append("| %s | " % s + " | ".join(
                ("%.2f×" % r[ref][k]) if k in r.get(ref, {}) else "–"
                for k, ref, _ in cols) + " |")
    return "\n".join(lines) + "\n"


def chart(summary, outdir):
    """A bar per tunnel (median, with min and max as an error bar) in one
    panel per figure. The veth path, far above every tunnel, is not a bar
    but a number in the panel's title."""
    gp = shutil.which("gnuplot")
    if gp is None:
        print("report: gnuplot missing, no chart (scripts/bootstrap --bench)", file=sys.stderr)
        return
    panels = [(k, scale, title) for k, scale, title in CHART
              if any(k in per for s, per in summary.items() if s != "veth")]
    if not panels:
        return
    script = ['set terminal pngcairo size 1600,%d font "sans,10"' % (380 * ((len(panels) + 1) // 2)),
              'set output "%s"' % os.path.join(outdir, "results.png"),
              "set multiplot layout %d,2" % ((len(panels) + 1) // 2),
              "set style fill solid 0.6 border -1", "set boxwidth 0.7",
              "set xtics rotate by -30 left", "set grid ytics", "set yrange [0:*]",
              "unset key"]
    tunnels = [(s, per) for s, per in summary.items() if s != "veth"]
    for k, scale, title in panels:
        data = os.path.join(outdir, "chart-%s.dat" % k)
        ceiling = summary.get("veth", {}).get(k)
        if ceiling:
            title += "; veth without tunnel: %s" % fmt(ceiling["median"] / scale)
        with open(data, "w") as f:
            for i, (s, per) in enumerate(tunnels):
                m = per.get(k)
                if m:
                    f.write('%d "%s" %g %g %g\n' % (i, s, m["median"] / scale,
                                                    m["min"] / scale, m["max"] / scale))
        script += ['set title "%s"' % title,
                   'plot "%s" using 1:3:xtic(2) with boxes lc rgb "#4a7ab5", '
                   '"" using 1:3:4:5 with yerrorbars lc rgb "black" pt 0' % data]
    script.append("unset multiplot")
    r = subprocess.run([gp], input="\n".join(script) + "\n", text=True,
                       capture_output=True, check=False)
    if r.returncode != 0:
        print("report: gnuplot failed: %s" % r.stderr, file=sys.stderr)
    for k, _, _ in panels:
        os.unlink(os.path.join(outdir, "chart-%s.dat" % k))


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--secs", type=int, default=0)
    ap.add_argument("--reps", type=int, default=0)
    ap.add_argument("dir")
    a = ap.parse_args()
    with open(os.path.join(a.dir, "raw.jsonl")) as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not records:
        sys.exit("report: no records in %s/raw.jsonl" % a.dir)
    summary = summarise(records)
    rat = ratios(summary)
    meta = {"date": subprocess.run(["date", "-u", "+%Y-%m-%d %H:%M UTC"], capture_output=True,
                                   text=True, check=False).stdout.strip(),
            "seconds": a.secs, "repetitions": a.reps or max(r["repetition"] for r in records),
            "cores": os.cpu_count(), "cpu": cpu_model(), "kernel": platform.release()}
    with open(os.path.join(a.dir, "results.json"), "w") as f:
        json.dump({"meta": meta, "units": {k: u for k, _, u, _ in METRICS},
                   "scenarios": summary, "ratios": rat}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    with open(os.path.join(a.dir, "results.md"), "w") as f:
        f.write(markdown(summary, rat, meta))
    chart(summary, a.dir)


if __name__ == "__main__":
    main()
