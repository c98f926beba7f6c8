#!/usr/bin/env python3
"""Desktop app start-up benchmark: cold start to the UI's first load, and idle RSS of the
app with its WebKit processes, under Xvfb. Prints a Markdown table; asserts nothing.

Usage: scripts/bench-app.py [--runs N] [--binary target/release/kyso-app]
"""
import argparse
import os
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def tree_rss_mb(pid):
    """RSS of a process and all its descendants (WebKit web/network processes)."""
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid=,rss="], capture_output=True, text=True).stdout
    rows = [tuple(int(x) for x in l.split()) for l in out.splitlines() if l.strip()]
    kids = {pid}
    changed = True
    while changed:
        changed = False
        for p, pp, _ in rows:
            if pp in kids and p not in kids:
                kids.add(p)
                changed = True
    total = sum(r for p, _, r in rows if p in kids) / 1024
    anon = 0
    for p in kids:
        try:
            for line in open("/proc/%d/status" % p):
                if line.startswith("RssAnon:"):
                    anon += int(line.split()[1])
        except OSError:
            pass
    return total, anon / 1024


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target/release/kyso-app"))
    a = ap.parse_args()
    display = ":%d" % (70 + os.getpid() % 20)
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    env = dict(os.environ, DISPLAY=display, KYSO_STARTUP_PROBE="1", NO_AT_BRIDGE="1",
               KYSO_CONFIG_DIR=os.path.join(ROOT, "target/bench-app-config"))
    starts, rss = [], []
    try:
        for _ in range(a.runs):
            t0 = time.perf_counter()
            p = subprocess.Popen([a.binary], env=env, stderr=subprocess.PIPE, text=True)
            ms = None
            for line in p.stderr:
                if line.startswith("kyso-startup-ms"):
                    ms = (time.perf_counter() - t0) * 1000
                    break
            time.sleep(3)
            rss.append(tree_rss_mb(p.pid))
            p.terminate()
            p.wait(timeout=10)
            if ms is not None:
                starts.append(ms)
    finally:
        xvfb.terminate()
    print("| measure | min | median | max |")
    print("|---|---:|---:|---:|")
    s = sorted(starts)
    r = sorted(x[0] for x in rss)
    q = sorted(x[1] for x in rss)
    print("| cold start to UI loaded (ms) | %.0f | %.0f | %.0f |" % (s[0], s[len(s) // 2], s[-1]))
    print("| idle RSS, app + WebKit processes (MB; shared libraries counted per process) | %.0f | %.0f | %.0f |" % (r[0], r[len(r) // 2], r[-1]))
    print("| idle private memory (RssAnon, MB) | %.0f | %.0f | %.0f |" % (q[0], q[len(q) // 2], q[-1]))


if __name__ == "__main__":
    main()
