#!/usr/bin/env python3
"""Signing/verification benchmark: Kyso beside the floor (openssl dgst -sha256) and the peer
(pyHanko CLI), in one run, on a 1-page PDF and a generated 100 MB PDF.

Each cell: minimum wall time over N runs (ms) and peak RSS (MB, max over runs, from GNU time).
Prints a Markdown table. This measures; it asserts nothing.

Usage: scripts/bench.py [--runs N] [--mb SIZE]   (run through scripts/bench.sh)
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KYSO = os.path.join(ROOT, "target/release/kyso")
PYHANKO = os.environ.get("KYSO_PYHANKO", os.path.join(ROOT, "target/test-venv/bin/pyhanko"))
MODULE = os.environ.get("KYSO_TEST_MODULE", "/usr/lib/softhsm/libsofthsm2.so")


def measure(cmd, runs, env, cleanup=None):
    best, rss = None, 0
    with tempfile.NamedTemporaryFile() as tf:
        for _ in range(runs):
            if cleanup:
                cleanup()
            t0 = time.perf_counter()
            p = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name] + cmd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dt = (time.perf_counter() - t0) * 1000
            if p.returncode not in (0, 1):
                sys.exit("failed: %s\n%s" % (" ".join(cmd), p.stderr.decode(errors="replace")))
            best = dt if best is None else min(best, dt)
            with open(tf.name) as f:
                rss = max(rss, int(f.read().strip().splitlines()[-1]) / 1024)
    return best, rss


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mb", type=int, default=100)
    a = ap.parse_args()
    work = os.path.join(ROOT, "target/bench")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    pki = os.path.join(work, "pki")
    subprocess.run(["bash", os.path.join(ROOT, "tests/fixtures/make-pki.sh"), pki], check=True)
    pdfs = os.path.join(work, "pdfs")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests/fixtures/make_pdfs.py"), pdfs], check=True)
    big = os.path.join(pdfs, "large.pdf")
    subprocess.run([sys.executable, os.path.join(ROOT, "tests/fixtures/make_pdfs.py"), "--large", str(a.mb), big], check=True)
    files = [("1-page", os.path.join(pdfs, "v17-classic.pdf")), ("%d MB" % a.mb, big)]
    env = dict(os.environ, SOFTHSM2_CONF=os.path.join(pki, "softhsm/softhsm2.conf"), KYSO_PIN="123456",
               PYHANKO_PKCS11_PIN="123456", KYSO_P12_PASS="kyso-test")
    root = os.path.join(pki, "root.cert.pem")
    passfile = os.path.join(pki, "p12.pass")
    rows = []
    for label, path in files:
        out_k = os.path.join(work, "k.pdf")
        out_p = os.path.join(work, "p.pdf")
        rm = lambda p: (lambda: os.path.exists(p) and os.remove(p))
        floor = measure(["openssl", "dgst", "-sha256", path], a.runs, env)
        ops = [
            ("floor: openssl dgst -sha256", floor),
            ("kyso sign (token, RSA-2048)", measure([KYSO, "sign", path, "-o", out_k, "--pkcs11", MODULE, "--cert", "01", "--pin-env", "KYSO_PIN"], a.runs, env, rm(out_k))),
            ("pyHanko sign (token, RSA-2048)", measure([PYHANKO, "sign", "addsig", "--field", "Sig1", "--use-pades", "pkcs11", "--lib", MODULE, "--token-label", "KYSO-TEST", "--cert-label", "rsa2048", "--key-label", "rsa2048", path, out_p], a.runs, env, rm(out_p))),
            ("kyso sign (.p12, RSA-2048)", measure([KYSO, "sign", path, "-o", out_k, "--p12", os.path.join(pki, "rsa2048.p12"), "--p12-password-env", "KYSO_P12_PASS"], a.runs, env, rm(out_k))),
            ("pyHanko sign (.p12, RSA-2048)", measure([PYHANKO, "sign", "addsig", "--field", "Sig1", "--use-pades", "pkcs12", "--passfile", passfile, path, out_p, os.path.join(pki, "rsa2048.p12")], a.runs, env, rm(out_p))),
            ("kyso verify", measure([KYSO, "verify", "--trust", root, out_k], a.runs, env)),
            ("pyHanko sign validate", measure([PYHANKO, "sign", "validate", "--no-revocation-check", "--trust", root, "--trust-replace", out_p], a.runs, env)),
        ]
        for name, (ms, mb) in ops:
            rows.append((label, name, ms, mb, ms / floor[0]))
    print("| file | operation | wall ms (min of %d) | peak RSS MB | × floor |" % a.runs)
    print("|---|---|---:|---:|---:|")
    for label, name, ms, mb, ratio in rows:
        print("| %s | %s | %.1f | %.1f | %.2f |" % (label, name, ms, mb, ratio))


if __name__ == "__main__":
    main()
