#!/usr/bin/env bash
# Makes seed inputs for every fuzz target from documents this repository's own tools make
# (the fixture PDFs, signed by Kyso and by pyHanko, encrypted by pyHanko; CMS, timestamp and
# OCSP answers from the test PKI with openssl), into DIR/<target>/. The shared third-party
# corpora stay outside the repository: pass them to a run as extra corpus folders instead.
#
#   fuzz/make-seeds.sh DIR          (needs target/debug/kyso, the test venv, openssl)
#
# `fuzz/run.sh --refresh-corpus` runs it and minimises the result into fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: make-seeds.sh DIR}
root=$(pwd)
py=$root/target/test-venv/bin/python
kyso=$root/target/debug/kyso
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"/{pdf_verify,pdf_xref,content_text,cms_parse,ocsp_tsp,bridge_request}

# A test PKI (also a TSA and an OCSP responder), fixture PDFs.
bash tests/fixtures/make-pki.sh "$work/pki" >/dev/null
"$py" tests/fixtures/make_pdfs.py "$work/pdfs" >/dev/null
pki=$work/pki
docs=crates/kyso-core/tests/hostile_signed/pyhanko_docs.py

n=0
for f in "$work"/pdfs/*.pdf; do
  [ "$(stat -c %s "$f")" -lt 60000 ] || continue
  base=$(basename "$f" .pdf)
  cp "$f" "$out/pdf_verify/$base.pdf"
  cp "$f" "$out/pdf_xref/$base.pdf"
  # Signed by Kyso (p12) and by pyHanko (key + certificate).
  if KYSO_P12_PASS=kyso-test "$kyso" sign "$f" -o "$work/$base-kyso.pdf" --p12 "$pki/rsa2048.p12" \
       --p12-password-env KYSO_P12_PASS >/dev/null 2>&1; then
    cp "$work/$base-kyso.pdf" "$out/pdf_verify/"
    n=$((n + 1))
  fi
  "$py" "$docs" sign "$f" "$work/$base-pyhanko.pdf" "$pki/ec256.key.pem" "$pki/ec256.cert.pem" \
    >/dev/null 2>&1 && cp "$work/$base-pyhanko.pdf" "$out/pdf_verify/"
done
# Encrypted then signed (AES-256, AES-128, RC4), and one with a real password.
for scheme in aes256 aes256-mac aes128 rc4; do
  "$py" "$docs" encrypt "$work/pdfs/v17-classic.pdf" "$work/enc-$scheme.pdf" "$scheme" "" >/dev/null 2>&1
  "$py" "$docs" sign "$work/enc-$scheme.pdf" "$out/pdf_verify/enc-$scheme-signed.pdf" \
    "$pki/rsa2048.key.pem" "$pki/rsa2048.cert.pem" "" >/dev/null 2>&1
  cp "$work/enc-$scheme.pdf" "$out/pdf_xref/"
done
"$py" "$docs" encrypt "$work/pdfs/v17-classic.pdf" "$out/pdf_xref/enc-password.pdf" aes256 "mat-khau" >/dev/null 2>&1

# CMS: each signature's /Contents, without its zero padding.
python3 - "$out/pdf_verify" "$out/cms_parse" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
for name in sorted(os.listdir(src)):
    data = open(os.path.join(src, name), "rb").read()
    for i, m in enumerate(re.finditer(rb"/Contents\s*<([0-9A-Fa-f]+)>", data)):
        der = bytes.fromhex(m.group(1).decode())
        if der[:1] != b"\x30" or len(der) < 4:
            continue
        n = der[1]
        if n & 0x80:
            k = n & 0x7F
            length = int.from_bytes(der[2:2 + k], "big") + 2 + k
        else:
            length = n + 2
        open(os.path.join(dst, f"{name}-{i}.der"), "wb").write(der[:length])
PY

# RFC 3161: a request, the TSA's response and its token; OCSP: request and response; a CRL.
( cd "$pki"
  printf 'kyso' > data.bin
  openssl ts -query -data data.bin -sha256 -cert -out q.tsq 2>/dev/null
  openssl ts -reply -config tsa.cnf -queryfile q.tsq -out r.tsr 2>/dev/null
  openssl ts -reply -in r.tsr -token_out -out token.der 2>/dev/null
  openssl ocsp -issuer intermediate.cert.pem -cert ocsp-good.cert.pem -reqout ocsp-req.der -no_nonce 2>/dev/null
  openssl ocsp -index index.txt -CA intermediate.cert.pem -rsigner ocsp.cert.pem -rkey ocsp.key.pem \
    -reqin ocsp-req.der -respout ocsp-resp.der -ndays 1 2>/dev/null
  openssl ocsp -issuer intermediate.cert.pem -cert ocsp-revoked.cert.pem -reqout ocsp-req2.der 2>/dev/null
  openssl ocsp -index index.txt -CA intermediate.cert.pem -rsigner ocsp.cert.pem -rkey ocsp.key.pem \
    -reqin ocsp-req2.der -respout ocsp-resp-revoked.der -ndays 1 2>/dev/null ) || true
for f in r.tsr token.der q.tsq ocsp-resp.der ocsp-resp-revoked.der ocsp-req.der issuing.crl; do
  [ -f "$pki/$f" ] && cp "$pki/$f" "$out/ocsp_tsp/$f"
done
[ -f "$pki/token.der" ] && cp "$pki/token.der" "$out/cms_parse/tsa-token.der"

# Content streams (before 0xFF 0x00) and ToUnicode CMaps (after).
printf 'BT /F1 14 Tf 72 760 Td (Quyet dinh so 01/QD-UBND) Tj ET' > "$out/content_text/simple"
printf 'q 1 0 0 1 50 50 cm BT /F1 12 Tf 0 Tc 1 Tw 100 Tz 14 TL 1 0 0 1 72 700 Tm [(CHU)-250(_KY)] TJ T* ([CHU_KY]) Tj ET /X1 Do Q' \
  > "$out/content_text/operators"
{ printf '\x01BT /F1 12 Tf 72 700 Td <00010002> Tj ET\xff\x00'
  printf '/CIDInit /ProcSet findresource begin 12 dict begin begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <005B> <0002> <1EF9> endbfchar 1 beginbfrange <0003> <0005> <0041> endbfrange endcmap end end'
} > "$out/content_text/type0-cmap"

# Bridge requests: the action path, a newline, the JSON body.
printf '/SignApproved\n{"FileUploadHandler":"https://vanban.example.gov.vn/upload","SessionId":"s1","JWTToken":"t","FileName":"https://vanban.example.gov.vn/files/qd01.pdf","MetaData":[{"Key":"SoVanBan","Value":"01/QD-UBND"}]}' \
  > "$out/bridge_request/single"
printf '/SignPDF\n{"FileUploadHandler":"/upload","Files":["qd01.pdf",{"FileName":"https://vanban.example.gov.vn/a.pdf","FileUploadHandler":"https://vanban.example.gov.vn/u2","MetaData":[{"key":"so_van_ban","value":"02"}]}]}' \
  > "$out/bridge_request/batch"
printf '/VerifyPDF?x=1\n{"FileName":"file:///etc/passwd","FileUploadHandler":"http://127.0.0.1:1/../x"}' \
  > "$out/bridge_request/hostile"
echo "seeds: $(find "$out" -type f | wc -l) files ($n signed by Kyso)"
