"""The local signing bridge as a document-management web page uses it: a page served on
127.0.0.1 calls `kyso serve` from headless Chromium over WebSocket and HTTP POST, the signed
PDF arrives at the page's upload handler with the page's session token, and pdfsig, pyHanko
and `kyso verify` accept it; SignXML answers the signed XML (xmlsec1 and `kyso verify` accept
it) and VerifyXML one entry per signature. Foreign sites, oversized files, upload targets elsewhere, broken
JSON, replays, local paths and a declined confirmation are refused, and nothing is signed.

Confirmation: the debug build reads KYSO_BRIDGE_AUTO_CONFIRM (yes/no) in place of a person;
the release build has no such switch (checked at the end)."""

import base64
import cgi
import io
import json
import os
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium import webdriver

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../.."))
KYSO = os.path.join(ROOT, "target/debug/kyso")
KYSO_RELEASE = os.path.join(ROOT, "target/release/kyso")
PYHANKO = os.path.join(ROOT, "target/test-venv/bin/pyhanko")
P12_PASS = "kyso-test"

PAGE = """<!doctype html><meta charset=utf-8><title>Hệ thống quản lý văn bản (test)</title>
<script>
function kysoWS(port, action, req) {
  return new Promise(function (resolve) {
    var ws = new WebSocket("ws://127.0.0.1:" + port + "/" + action);
    ws.onopen = function () { ws.send(typeof req === "string" ? req : JSON.stringify(req)); };
    ws.onmessage = function (m) { resolve(JSON.parse(m.data)); ws.close(); };
    ws.onerror = function () { resolve({Status: -1, Message: "websocket refused"}); };
  });
}
function kysoWSS(port, action, req) {
  return new Promise(function (resolve) {
    var ws = new WebSocket("wss://127.0.0.1:" + port + "/" + action);
    ws.onopen = function () { ws.send(JSON.stringify(req)); };
    ws.onmessage = function (m) { resolve(JSON.parse(m.data)); ws.close(); };
    ws.onerror = function () { resolve({Status: -1, Message: "secure websocket refused"}); };
  });
}
function kysoPOST(port, action, req) {
  return fetch("http://127.0.0.1:" + port + "/" + action, {
    method: "POST", headers: {"Content-Type": "application/json"},
    body: typeof req === "string" ? req : JSON.stringify(req)
  }).then(function (r) { return r.json(); }, function (e) { return {Status: -1, Message: String(e)}; });
}
</script><h1>Văn bản chờ ký</h1>"""


def png(w, h, rgba):
    raw = b"".join(b"\x00" + bytes(rgba) * w for _ in range(h))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Site:
    """A document-management site: its page, its documents, its upload handler."""

    def __init__(self, docs):
        self.docs = docs
        self.uploads = []
        site = self

        class H(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_GET(self):
                name = self.path.split("?")[0]
                if name == "/page.html":
                    body, ctype = PAGE.encode(), "text/html; charset=utf-8"
                elif name.startswith("/docs/") and os.path.isfile(os.path.join(site.docs, name[6:])):
                    body, ctype = open(os.path.join(site.docs, name[6:]), "rb").read(), "application/pdf"
                elif name.startswith("/stored/") and any(u["name"] == name[8:] for u in site.uploads):
                    body = [u for u in site.uploads if u["name"] == name[8:]][-1]["data"]
                    ctype = "application/pdf"
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                data = self.rfile.read(n)
                form = cgi.FieldStorage(fp=io.BytesIO(data), headers=self.headers,
                                        environ={"REQUEST_METHOD": "POST"})
                item = form["file"]
                site.uploads.append({"path": self.path, "auth": self.headers.get("Authorization"),
                                     "session": form.getfirst("SessionId"), "name": item.filename,
                                     "data": item.file.read()})
                body = json.dumps({"url": "/stored/" + item.filename}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.origin = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_bridge(binary, env, origin, extra=(), signer=None):
    port = free_port()
    if signer is None:
        signer = ["--p12", env["pki"] + "/rsa2048.p12", "--p12-password-env", "KYSO_P12_PASS"]
    p = subprocess.Popen([binary, "serve", "--port", str(port), "--allow-origin", origin,
                          *signer, "--max-file-mb", "1", *extra],
                         env=env["env"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert "listening" in line, line + p.stderr.read()
    return p, port


@pytest.fixture(scope="module")
def env():
    work = tempfile.mkdtemp(prefix="kyso-bridge-")
    pki, pdfs, docs = (os.path.join(work, d) for d in ("pki", "pdfs", "docs"))
    subprocess.run(["bash", os.path.join(ROOT, "tests/fixtures/make-pki.sh"), pki], check=True,
                   env=dict(os.environ, KYSO_CRL_PORT="1", KYSO_OCSP_PORT="2"))
    subprocess.run(["python3", os.path.join(ROOT, "tests/fixtures/make_pdfs.py"), pdfs], check=True)
    os.makedirs(docs)
    shutil.copy(os.path.join(pdfs, "v17-classic.pdf"), os.path.join(docs, "to-trinh.pdf"))
    shutil.copy(os.path.join(pdfs, "vietnamese.pdf"), os.path.join(docs, "quyet-dinh.pdf"))
    shutil.copy(os.path.join(pdfs, "xref-stream.pdf"), os.path.join(docs, "phu-luc.pdf"))
    shutil.copy(os.path.join(pdfs, "decision.pdf"), os.path.join(docs, "quyet-dinh-15.pdf"))
    with open(os.path.join(docs, "big.pdf"), "wb") as f:
        f.write(open(os.path.join(pdfs, "v17-classic.pdf"), "rb").read() + b"%" + b"0" * (2 << 20))
    # Two documents under 1 MB each, 1.2 MB together.
    for n in ("half-1.pdf", "half-2.pdf"):
        with open(os.path.join(docs, n), "wb") as f:
            f.write(open(os.path.join(pdfs, "v17-classic.pdf"), "rb").read() + b"%" + b"0" * 600_000)
    e = dict(os.environ, KYSO_CONFIG_DIR=os.path.join(work, "config"), KYSO_DATA_DIR=os.path.join(work, "data"),
             KYSO_P12_PASS=P12_PASS, KYSO_BRIDGE_AUTO_CONFIRM="yes")
    # The organisation profile the Decree 30 roles draw from: seal and the leader's signature.
    for name, color in (("seal.png", (200, 20, 20, 200)), ("sig.png", (20, 20, 160, 255))):
        with open(os.path.join(work, name), "wb") as f:
            f.write(png(120, 120, color))
    subprocess.run([KYSO, "profile", "set", "--org", "UBND tỉnh Bắc Giang", "--seal", os.path.join(work, "seal.png"),
                    "--signature", "Nguyễn Văn An=" + os.path.join(work, "sig.png")], check=True, env=e)
    site, foreign = Site(docs), Site(docs)
    ctx = {"work": work, "pki": pki, "env": e, "site": site, "foreign": foreign}
    # The first start makes the bridge's local certificate authority; the browser's profile
    # trusts it the way the README tells users to (NSS database under $HOME/.pki/nssdb).
    p, _ = start_bridge(KYSO, ctx, site.origin)
    p.kill()
    home = os.path.join(work, "home")
    nss = os.path.join(home, ".pki", "nssdb")
    os.makedirs(nss)
    subprocess.run(["certutil", "-d", "sql:" + nss, "-N", "--empty-password"], check=True)
    subprocess.run(["certutil", "-d", "sql:" + nss, "-A", "-t", "C,,", "-n", "Kyso bridge",
                    "-i", os.path.join(work, "config", "bridge-tls", "ca.pem")], check=True)
    ctx["home"] = home
    yield ctx
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(env):
    o = webdriver.ChromeOptions()
    o.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        o.add_argument(a)
    service = webdriver.ChromeService(shutil.which("chromedriver") or "/usr/bin/chromedriver",
                                      env=dict(os.environ, HOME=env["home"]))
    d = webdriver.Chrome(options=o, service=service)
    d.set_script_timeout(60)
    yield d
    d.quit()


def call(browser, site, port, how, action, req):
    browser.get(site.origin + "/page.html")
    fn = {"ws": "kysoWS", "wss": "kysoWSS", "post": "kysoPOST"}[how]
    return browser.execute_async_script(
        "var cb = arguments[arguments.length - 1]; %s(arguments[0], arguments[1], arguments[2]).then(cb);" % fn,
        port, action, req)


def accepted_everywhere(pki, data, work):
    path = os.path.join(work, "check-%d.pdf" % time.monotonic_ns())
    with open(path, "wb") as f:
        f.write(data)
    folders = dict(os.environ, KYSO_CONFIG_DIR=os.path.join(work, "verify-config"),
                   KYSO_DATA_DIR=os.path.join(work, "verify-data"))
    v = json.loads(subprocess.run([KYSO, "verify", "--json", "--offline", "--trust", pki + "/root.cert.pem", path],
                                  capture_output=True, text=True, env=folders).stdout)
    sigs = v["files"][0]["signatures"]
    assert sigs and all(s["indication"] == "TOTAL_PASSED" for s in sigs), v
    out = subprocess.run(["pdfsig", path], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid.") == len(sigs), out
    r = subprocess.run([PYHANKO, "sign", "validate", "--no-revocation-check", "--trust", pki + "/root.cert.pem",
                        "--trust-replace", path], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_page_signs_through_the_bridge_and_gets_the_file_back(env, browser):
    site = env["site"]
    p, port = start_bridge(KYSO, env, site.origin)
    try:
        # The leader approves, over the WebSocket the existing systems use.
        r = call(browser, site, port, "ws", "SignApproved", {
            "FileName": "/docs/to-trinh.pdf", "FileUploadHandler": "/upload?doc=1",
            "SessionId": "S-1", "JWTToken": "jwt-1",
            "MetaData": [{"Key": "Page", "Value": "1"}, {"Key": "Rect", "Value": "330,120,540,220"}]})
        assert r["Status"] == 0, r
        up = site.uploads[-1]
        assert up["path"] == "/upload?doc=1" and up["auth"] == "Bearer jwt-1" and up["session"] == "S-1"
        assert up["name"] == "to-trinh-signed.pdf" and r["FileServer"] == '{"url": "/stored/to-trinh-signed.pdf"}'
        accepted_everywhere(env["pki"], up["data"], env["work"])

        # The clerk issues the approved document with the seal and the number, over HTTP POST.
        r = call(browser, site, port, "post", "SignIssued", {
            "FileName": site.origin + "/stored/to-trinh-signed.pdf", "FileUploadHandler": "/upload",
            "SessionId": "S-2", "JWTToken": "jwt-2", "MetaData": [{"Key": "DocumentNumber", "Value": "15/QĐ-UBND"}]})
        assert r["Status"] == 0 and r["DocumentNumber"] == "15/QĐ-UBND" and r["DocumentDate"].count("/") == 2, r
        issued = site.uploads[-1]["data"]
        accepted_everywhere(env["pki"], issued, env["work"])
        assert issued.count(b"/ByteRange") == 2, "approval and issuing signatures"

        # Secure WebSocket on the same port, with the certificate made on this computer.
        r = call(browser, site, port, "wss", "SignPDF", {"FileName": "/docs/phu-luc.pdf", "FileUploadHandler": "/upload",
                                                         "SessionId": "S-tls"})
        assert r["Status"] == 0, r
        accepted_everywhere(env["pki"], site.uploads[-1]["data"], env["work"])

        # A batch (Files) and a detached signature.
        before = len(site.uploads)
        r = call(browser, site, port, "ws", "SignPDF", {
            "Files": ["/docs/phu-luc.pdf", {"FileName": "/docs/to-trinh.pdf"}], "FileUploadHandler": "/upload"})
        assert r["Status"] == 0 and [f["Status"] for f in r["Files"]] == [0, 0], r
        assert len(site.uploads) == before + 2
        r = call(browser, site, port, "post", "SignFile", {"FileName": "/docs/phu-luc.pdf", "FileUploadHandler": "/upload"})
        assert r["Status"] == 0 and site.uploads[-1]["name"] == "phu-luc.pdf.p7s", r

        # Verification and certificate information.
        r = call(browser, site, port, "post", "GetCertInfo", {})
        assert r["Status"] == 0 and r["Data"]["identity"]["common_name"] == "Nguyễn Văn An", r
        r = call(browser, site, port, "ws", "VerifyPDF", {"FileName": "/docs/to-trinh.pdf"})
        assert r["Status"] == 0 and r["Data"][0]["verdict"] == "NO_SIGNATURE", r
        # The answer names the document as the request did, never a path on this computer.
        assert r["Data"][0]["path"] == "to-trinh.pdf", r["Data"][0]["path"]
        assert "/tmp" not in json.dumps(r) and tempfile.gettempdir() not in json.dumps(r)
    finally:
        p.kill()


def pdftext(data, work):
    path = os.path.join(work, "text-%d.pdf" % time.monotonic_ns())
    with open(path, "wb") as f:
        f.write(data)
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout


def test_decree_30_numbers_copies_and_the_legal_verdict(env, browser):
    """SignIssued takes DocNumber and IssuedDate, SignAppendix and SignCopy take DocNumber, and
    each reply returns them; a copy shows the copy form, the organisation and the time with no
    image; VerifyPDF answers the legal verdict beside the signature verdict."""
    site = env["site"]
    p, port = start_bridge(KYSO, env, site.origin)
    try:
        r = call(browser, site, port, "ws", "SignApproved", {
            "FileName": "/docs/quyet-dinh-15.pdf", "FileUploadHandler": "/upload", "SessionId": "D-1",
            "MetaData": [{"Key": "Anchor", "Value": "Nguyễn Văn An"}]})
        assert r["Status"] == 0, r
        approved = site.uploads[-1]["name"]
        r = call(browser, site, port, "post", "SignIssued", {
            "FileName": "/stored/" + approved, "FileUploadHandler": "/upload", "SessionId": "D-2",
            "DocNumber": "15/QĐ-UBND", "IssuedDate": "06/12/2026"})
        assert r["Status"] == 0 and r["DocumentNumber"] == "15/QĐ-UBND" and r["DocumentDate"] == "06/12/2026", r
        issued = os.path.join(env["work"], "issued-15.pdf")
        with open(issued, "wb") as f:
            f.write(site.uploads[-1]["data"])
        v = json.loads(subprocess.run([KYSO, "verify", "--json", "--offline", issued], capture_output=True, text=True,
                                      env=env["env"]).stdout)
        assert v["files"][0]["signatures"][1]["reason"] == "Phát hành văn bản số 15/QĐ-UBND, ngày 06/12/2026", v

        r = call(browser, site, port, "post", "SignAppendix", {
            "FileName": "/docs/phu-luc.pdf", "FileUploadHandler": "/upload", "DocNumber": "15/QĐ-UBND"})
        assert r["Status"] == 0 and r["DocumentNumber"] == "15/QĐ-UBND", r
        assert "15/QĐ-UBND" in pdftext(site.uploads[-1]["data"], env["work"])

        original = open(os.path.join(env["work"], "docs", "to-trinh.pdf"), "rb").read()
        r = call(browser, site, port, "ws", "SignCopy", {
            "FileName": "/docs/to-trinh.pdf", "FileUploadHandler": "/upload", "DocNumber": "07/SY-UBND"})
        assert r["Status"] == 0 and r["DocumentNumber"] == "07/SY-UBND", r
        copy = site.uploads[-1]["data"]
        text = pdftext(copy, env["work"])
        assert "SAO Y" in text and "UBND tỉnh Bắc Giang" in text and "+07:00" in text, text
        assert b"/Image" not in copy[len(original):], "a copy shows no image (the profile's seal is not used)"
        accepted_everywhere(env["pki"], copy, env["work"])
        r = call(browser, site, port, "post", "SignCopy", {
            "FileName": "/docs/phu-luc.pdf", "FileUploadHandler": "/upload",
            "MetaData": [{"Key": "CopyForm", "Value": "trich-sao"}]})
        assert r["Status"] == 0, r
        assert "TRÍCH SAO" in pdftext(site.uploads[-1]["data"], env["work"])

        # The issued decision, checked: the legal verdict names every check. The bridge's own
        # certificate is an individual's, so the organisation's signature is missing.
        r = call(browser, site, port, "ws", "VerifyPDF", {"FileName": "/stored/" + site.uploads[-4]["name"]})
        assert r["Status"] == 0, r
        report = r["Data"][0]
        assert report["path"].endswith(site.uploads[-4]["name"]) and not report["path"].startswith("/tmp"), report["path"]
        legal = {c["code"]: c for c in report["legal"]["checks"]}
        assert list(legal) == ["SIGNATURES_VALID", "TWO_SIGNATURES", "SIGNING_ORDER", "ISSUING_BODY",
                               "SIGNER_NAME", "NUMBER_SYMBOL", "DATE_LINE", "OFFICIAL_DUTY"], legal
        assert report["legal"]["verdict"] == "INCOMPLETE"
        assert legal["TWO_SIGNATURES"]["result"] == "fail"
        assert legal["TWO_SIGNATURES"]["return_text"]["vi"] == "Văn bản chưa có chữ ký số của cơ quan, tổ chức ban hành."
        assert legal["SIGNER_NAME"]["result"] == "pass" and legal["NUMBER_SYMBOL"]["result"] == "pass", legal
        assert report["signatures"][0]["certificate"]["class"] == "individual"
    finally:
        p.kill()


def test_hostile_and_mistaken_requests_are_refused_and_nothing_is_signed(env, browser):
    site, foreign = env["site"], env["foreign"]
    p, port = start_bridge(KYSO, env, site.origin)
    try:
        before = len(site.uploads) + len(foreign.uploads)
        ok_req = {"FileName": "/docs/to-trinh.pdf", "FileUploadHandler": "/upload", "SessionId": "S-9"}
        # Another site's page: no socket, and POST is refused (and gets no CORS pass).
        r = call(browser, foreign, port, "ws", "SignPDF", ok_req)
        assert r["Status"] == -1, r
        r = call(browser, foreign, port, "post", "SignPDF", ok_req)
        assert r["Status"] == -1, r
        # Without a browser in the way, the bridge's own answer is explicit.
        import urllib.request
        q = urllib.request.Request("http://127.0.0.1:%d/SignPDF" % port, data=json.dumps(ok_req).encode(),
                                   headers={"Origin": foreign.origin, "Content-Type": "application/json"})
        answer = json.loads(urllib.request.urlopen(q).read())
        assert answer["Status"] == 2 and foreign.origin in answer["Message"], answer
        # Oversized, upload elsewhere, a local path, broken JSON, an unknown action.
        cases = [
            ({"FileName": "/docs/big.pdf", "FileUploadHandler": "/upload"}, 4, "1 MB"),
            ({"FileName": "/docs/to-trinh.pdf", "FileUploadHandler": foreign.origin + "/upload"}, 4, "another site"),
            ({"FileName": "C:\\Users\\a\\secret.pdf", "FileUploadHandler": "/upload"}, 4, "this computer"),
            ("{not json", 1, "JSON"),
        ]
        for req, status, words in cases:
            r = call(browser, site, port, "post", "SignPDF", req)
            assert r["Status"] == status and words in r["Message"], (req, r)
        r = call(browser, site, port, "post", "Format", ok_req)
        assert r["Status"] == 1, r
        # A replayed request: the second copy is refused.
        req = dict(ok_req, SessionId="S-replay")
        assert call(browser, site, port, "post", "SignPDF", req)["Status"] == 0
        r = call(browser, site, port, "post", "SignPDF", req)
        assert r["Status"] == 7, r
        assert len(site.uploads) + len(foreign.uploads) == before + 1, "only the one legitimate signing"
        # A request not from 127.0.0.1 by name (DNS rebinding) is turned away.
        q = urllib.request.Request("http://127.0.0.1:%d/GetCertInfo" % port, data=b"{}",
                                   headers={"Origin": site.origin, "Host": "evil.example:%d" % port})
        try:
            urllib.request.urlopen(q)
            assert False, "a foreign Host was answered"
        except urllib.error.HTTPError as e:
            assert e.code == 421
    finally:
        p.kill()
    # The user declines: nothing is signed or sent.
    env2 = dict(env, env=dict(env["env"], KYSO_BRIDGE_AUTO_CONFIRM="no"))
    p, port = start_bridge(KYSO, env2, site.origin)
    try:
        before = len(site.uploads)
        # (A request that can be signed: one that cannot is refused before anyone is asked.)
        declined = dict(ok_req, SessionId="S-declined", MetaData=[{"Key": "Rect", "Value": "300,80,500,160"}])
        r = call(browser, site, port, "ws", "SignApproved", declined)
        assert r["Status"] == 3, r
        # An approval with no place for the signature: refused before the user is asked
        # (the scripted answer "no" is never reached), with the reason's code.
        r = call(browser, site, port, "ws", "SignApproved", dict(ok_req, SessionId="S-noplace"))
        assert r["Status"] == 6 and r.get("Code") == "SIGNATURE_BLOCK_MISSING", r
        assert len(site.uploads) == before
    finally:
        p.kill()
    # Every request is in the journal with its outcome.
    j = json.loads(subprocess.run([KYSO, "journal", "--json"], env=env["env"], capture_output=True, text=True).stdout)
    actions = [e["action"] for e in j["events"]]
    assert any(a.startswith("bridge SignPDF") for a in actions), actions


def test_a_token_certificate_is_reported_before_any_pin(env, browser):
    site = env["site"]
    module = next(m for m in ("/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
                  if os.path.exists(m))
    e = dict(env, env=dict(env["env"], SOFTHSM2_CONF=os.path.join(env["pki"], "softhsm", "softhsm2.conf")))
    # No PIN anywhere: GetCertInfo reads the token's public certificate objects only.
    p, port = start_bridge(KYSO, e, site.origin, signer=["--pkcs11", module, "--cert", "03"])
    try:
        r = call(browser, site, port, "post", "GetCertInfo", {})
        assert r["Status"] == 0 and r["Data"]["identity"]["common_name"] == "Lê Văn Cường", r
    finally:
        p.kill()


def xml_file(env, name):
    out = os.path.join(env["work"], "xml")
    if not os.path.isdir(out):
        subprocess.run(["python3", os.path.join(ROOT, "tests/fixtures/make_xml.py"), "forms", out], check=True)
    return open(os.path.join(out, name), "rb").read()


def xmlsec1_valid(pki, data, work, sig_id, *id_attrs):
    path = os.path.join(work, "xml-check-%d.xml" % time.monotonic_ns())
    with open(path, "wb") as f:
        f.write(data)
    args = ["xmlsec1", "--verify", "--trusted-pem", pki + "/root.cert.pem", "--untrusted-pem", pki + "/intermediate.cert.pem",
            "--id-attr:Id", "http://www.w3.org/2000/09/xmldsig#:Signature", "--node-id", sig_id]
    for a in id_attrs:
        args += ["--id-attr:Id", a]
    r = subprocess.run(args + [path], capture_output=True, text=True)
    v = json.loads(subprocess.run([KYSO, "verify", "--json", "--offline", "--trust", pki + "/root.cert.pem", path],
                                  capture_output=True, text=True).stdout)
    return r.returncode == 0, v


def b64(data):
    return base64.b64encode(data).decode()


def test_a_page_signs_and_checks_xml_through_the_bridge(env, browser):
    site, foreign = env["site"], env["foreign"]
    p, port = start_bridge(KYSO, env, site.origin, extra=("--trust", env["pki"] + "/root.cert.pem"))
    try:
        inv = xml_file(env, "einvoice.xml")
        # SignXML over the WebSocket: the whole signed invoice comes back in the reply.
        r = call(browser, site, port, "ws", "SignXML", {"Base64Content": b64(inv), "ReturnSignatureOnly": "false",
                                                         "HashAlg": "Sha256", "XmlDsigForm": "true"})
        assert r["Status"] == 0 and r["DocumentDate"].count("/") == 2, r
        seller = base64.b64decode(r["Signature"])
        ok, v = xmlsec1_valid(env["pki"], seller, env["work"], "NBan", "DLHDon")
        assert ok and v["files"][0]["verdict"] == "TOTAL_PASSED", v
        assert v["files"][0]["signatures"][0]["xml"]["slot"] == "NBan"
        # The buyer signs the seller's invoice over HTTP POST and wants only the Signature element.
        r = call(browser, site, port, "post", "SignXML", {"Base64Content": b64(seller), "ReturnSignatureOnly": "true",
                                                           "HashAlg": "Sha256"})
        assert r["Status"] == 0, r
        sig = base64.b64decode(r["Signature"]).decode()
        assert sig.startswith('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#" Id="NMua">') and sig.endswith("</Signature>"), sig[:120]
        # A system's own data (DU_LIEU Id="data"): its only Id is signed.
        r = call(browser, site, port, "wss", "SignXML", {"Base64Content": b64(xml_file(env, "data.xml"))})
        assert r["Status"] == 0, r
        ok, v = xmlsec1_valid(env["pki"], base64.b64decode(r["Signature"]), env["work"], "Signature", "DU_LIEU")
        assert ok and v["files"][0]["verdict"] == "TOTAL_PASSED", v

        # VerifyXML: an array, one entry per signature, with the certificate's serial and a status.
        r = call(browser, site, port, "ws", "VerifyXML", {"Data": b64(seller), "Format": "XML"})
        assert isinstance(r, list) and len(r) == 1, r
        serial = subprocess.run(["openssl", "x509", "-noout", "-serial", "-in", env["pki"] + "/rsa2048.cert.pem"],
                                capture_output=True, text=True).stdout.strip().split("=")[1]
        assert r[0]["SerialNumber"].lstrip("0").lower() == serial.lstrip("0").lower(), (r[0]["SerialNumber"], serial)
        assert r[0]["Status"] == 0 and r[0]["Signer"] == "Nguyễn Văn An" and "hợp lệ" in r[0]["Description"], r[0]
        tampered = seller.replace(b"<TgTTTBSo>23769504<", b"<TgTTTBSo>93769504<", 1)
        r = call(browser, site, port, "post", "VerifyXML", {"Data": b64(tampered), "Format": "XML"})
        assert r[0]["Status"] == 1 and r[0]["SubIndication"] == "HASH_FAILURE" and "changed" in r[0]["Description"], r

        # Refused, nothing signed: SHA-1, not XML, an entity bomb, too large, another site.
        r = call(browser, site, port, "post", "SignXML", {"Base64Content": b64(inv), "HashAlg": "Sha1"})
        assert r["Status"] == 6 and r["Code"] == "POLICY", r
        r = call(browser, site, port, "post", "SignXML", {"Base64Content": b64(b"%PDF-1.7 not xml")})
        assert r["Status"] == 1 and r["Code"] == "XML_MALFORMED", r
        bomb = inv.replace(b"<HDon ", b'<!DOCTYPE HDon [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><HDon ', 1)
        r = call(browser, site, port, "post", "SignXML", {"Base64Content": b64(bomb)})
        assert r["Status"] == 6 and r["Code"] == "XML_DTD", r
        r = call(browser, site, port, "post", "VerifyXML", {"Data": b64(bomb)})
        assert r["Status"] == 1 and r["Code"] == "XML_DTD", r
        big = inv.replace(b"<TTKhac/>", b"<TTKhac>" + b"x" * 1_060_000 + b"</TTKhac>", 1)
        r = call(browser, site, port, "post", "SignXML", {"Base64Content": b64(big)})
        assert r["Status"] == 4 and r["Code"] == "TOO_LARGE", r
        r = call(browser, foreign, port, "post", "SignXML", {"Base64Content": b64(inv)})
        assert r["Status"] == -1, r
        r = call(browser, site, port, "post", "SignXML", {"ReturnSignatureOnly": "true"})
        assert r["Status"] == 1 and "Base64Content" in r["Message"], r
    finally:
        p.kill()
    # The confirmation said what was signed: the form, the invoice's number, seller and total.
    shown = p.stderr.read()
    for want in ("Hoá đơn điện tử", "C26TAA 00001234", "CÔNG TY TNHH ÁNH DƯƠNG", "23769504 VND", "/HDon/DSCKS/NBan"):
        assert want in shown, shown[-2000:]
    # The user declines: nothing is signed.
    env2 = dict(env, env=dict(env["env"], KYSO_BRIDGE_AUTO_CONFIRM="no"))
    p, port = start_bridge(KYSO, env2, site.origin)
    try:
        r = call(browser, site, port, "ws", "SignXML", {"Base64Content": b64(inv)})
        assert r["Status"] == 3 and "Signature" not in r, r
    finally:
        p.kill()


@pytest.mark.skipif(not os.path.exists(KYSO_RELEASE), reason="release build not made")
def test_the_release_build_has_no_confirmation_shortcut(env, browser):
    site = env["site"]
    p, port = start_bridge(KYSO_RELEASE, env, site.origin)
    try:
        before = len(site.uploads)
        r = call(browser, site, port, "ws", "SignPDF", {"FileName": "/docs/to-trinh.pdf", "FileUploadHandler": "/upload",
                                                        "SessionId": "S-release"})
        # KYSO_BRIDGE_AUTO_CONFIRM=yes is set, but a release build ignores it: with no one at
        # the terminal the request is declined.
        assert r["Status"] == 3, r
        assert len(site.uploads) == before
    finally:
        p.kill()


def raw(port, head, body=b""):
    """One request as bytes over a socket (what a browser would never send); the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as c:
        c.sendall(head + body)
        out = b""
        while True:
            chunk = c.recv(65536)
            if not chunk:
                return out
            out += chunk


def test_batches_are_capped_and_the_terminal_shows_what_is_signed(env, browser):
    site = env["site"]
    p, port = start_bridge(KYSO, env, site.origin, extra=["--max-documents", "3", "--max-total-mb", "1"])
    try:
        before = len(site.uploads)
        # More documents than allowed: refused before anything is fetched or anyone asked.
        r = call(browser, site, port, "post", "SignPDF", {"Files": ["/docs/to-trinh.pdf"] * 4, "FileUploadHandler": "/upload"})
        assert r["Status"] == 4 and r["Code"] == "TOO_MANY_DOCUMENTS" and "at most 3" in r["Message"], r
        # Each under the file limit, together over the request's.
        r = call(browser, site, port, "post", "SignPDF", {"Files": ["/docs/half-1.pdf", "/docs/half-2.pdf"], "FileUploadHandler": "/upload"})
        assert r["Status"] == 4 and "together are larger than 1 MB" in r["Message"], r
        assert len(site.uploads) == before
        # Within the limits: the confirmation lists each document with its size and the start
        # of its SHA-256 (computed from the bytes fetched).
        r = call(browser, site, port, "post", "SignPDF", {"Files": ["/docs/to-trinh.pdf", "/docs/phu-luc.pdf"], "FileUploadHandler": "/upload",
                                                         "SessionId": "S-caps"})
        assert r["Status"] == 0, r
    finally:
        p.kill()
        err = p.stderr.read()
    import hashlib
    for name in ("to-trinh.pdf", "phu-luc.pdf"):
        data = open(os.path.join(env["work"], "docs", name), "rb").read()
        digest = hashlib.sha256(data).hexdigest()
        prefix = " ".join(digest[i:i + 4] for i in range(0, 16, 4))
        assert "tệp / file: %s (%d bytes, SHA-256 %s…)" % (name, len(data), prefix) in err, err


def test_a_new_site_cannot_flood_the_user_the_terminal_or_the_journal(env):
    site = env["site"]
    p, port = start_bridge(KYSO, env, site.origin)
    try:
        # A site name that reverses the text after it on a terminal (U+202E); control
        # characters in a header are refused by the parser outright (below).
        hostile = "http://evil\u202egpj.example:8080"
        answers = []
        for i in range(40):
            head = "POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\nContent-Length: 2\r\n\r\n" % (port, hostile)
            out = raw(port, head.encode("utf-8"), b"{}")
            answers.append(json.loads(out.split(b"\r\n\r\n", 1)[1])["Status"])
        # Refused (nobody at the terminal typed "allow"), then cut off by the rate limit.
        assert set(answers[:30]) == {2} and set(answers[30:]) == {8}, answers
        # A head the parser refuses (a control character), two lengths, a chunked body.
        esc = "POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: http://a\x1b[2J.vn\r\nContent-Length: 2\r\n\r\n{}" % port
        assert raw(port, esc.encode()).startswith(b"HTTP/1.1 400")
        two = "POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\nContent-Length: 2\r\nContent-Length: 9\r\n\r\n{}" % (port, site.origin)
        assert raw(port, two.encode()).startswith(b"HTTP/1.1 411")
        chunked = "POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" % (port, site.origin)
        assert raw(port, chunked.encode()).startswith(b"HTTP/1.1 411")
        # The allowed site's own text reaches the terminal's confirmation: escaped there.
        body = json.dumps({"FileName": "/docs/to-trinh.pdf", "FileUploadHandler": "/upload", "SessionId": "S-esc",
                           "MetaData": [{"Key": "DocumentNumber", "Value": "15/QĐ\x1b]0;pwned\x07\x1b[2J"}]}).encode()
        head = "POST /SignPDF HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\nContent-Length: %d\r\n\r\n" % (port, site.origin, len(body))
        out = raw(port, head.encode(), body)
        assert json.loads(out.split(b"\r\n\r\n", 1)[1])["Status"] == 0, out
    finally:
        p.kill()
        err = p.stderr.read()
    # Asked once (and refused: no one at the terminal), never again for this site; what
    # the pages chose is printed with control and direction characters made visible.
    assert err.count("wants to use Kyso") == 1, err
    assert "\u202e" not in err and "evil\\u{202e}gpj" in err, err
    assert "\x1b" not in err and "\x07" not in err, repr(err)
    assert "15/QĐ\\u{1b}]0;pwned\\u{7}" in err, err
    # The journal: one row for the 40 refusals, counting them; listed safely too.
    j = json.loads(subprocess.run([KYSO, "journal", "--json", "--limit", "10000"], env=env["env"], capture_output=True, text=True).stdout)
    rows = [e for e in j["events"] if e["input"] == hostile]
    assert len(rows) == 1 and "×40" in rows[0]["detail"], rows
    text = subprocess.run([KYSO, "journal", "--limit", "20"], env=env["env"], capture_output=True, text=True).stdout
    assert "\u202e" not in text and "evil\\u{202e}gpj" in text, text
