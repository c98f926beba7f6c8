#!/usr/bin/env bash
# A TEST code-signing certificate (test keys only) for scripts/package.sh in the test suite:
#   DIR/ca.cert.pem      test root "Kyso Test Code Signing Root"
#   DIR/codesign.p12     leaf (digitalSignature, extendedKeyUsage codeSigning) + root,
#                        password in DIR/password (the suite exports it as KYSO_SIGN_PASSWORD)
# Production packaging names the organisation's own certificate instead.
set -euo pipefail
out=${1:?usage: make-codesign.sh DIR}
mkdir -p "$out"; cd "$out"
pass=kyso-test-codesign
q() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; exit 1; }; }
cat > cs.cnf <<'CNF'
[ req ]
distinguished_name = dn
[ dn ]
[ root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
CNF
q openssl req -x509 -newkey rsa:3072 -noenc -keyout ca.key.pem -out ca.cert.pem -days 3650 \
  -subj "/C=VN/O=Kyso Test/CN=Kyso Test Code Signing Root" -config cs.cnf -extensions root
q openssl req -new -newkey rsa:3072 -noenc -keyout codesign.key.pem -out codesign.csr \
  -subj "/C=VN/O=Kyso Test/CN=Kyso Test Publisher" -config cs.cnf
q openssl x509 -req -in codesign.csr -CA ca.cert.pem -CAkey ca.key.pem -CAcreateserial -days 825 -sha256 \
  -extfile cs.cnf -extensions leaf -out codesign.cert.pem
q openssl pkcs12 -export -inkey codesign.key.pem -in codesign.cert.pem -certfile ca.cert.pem \
  -name "Kyso Test Publisher" -passout "pass:$pass" -out codesign.p12
printf '%s' "$pass" > password
