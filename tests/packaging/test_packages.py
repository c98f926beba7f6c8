"""The installers scripts/package.sh wrote into dist/, tried the way users get them.

Windows, under Wine (Debian's wine64 8.0, 64-bit, in a prefix of our own under
target/packaging-tests): the executables import only Windows' own DLLs and the ones shipped;
Authenticode signatures verify against the test root (and a changed byte breaks them); the
installer installs silently (files, Start menu with Vietnamese names, PDF right-click menu,
PATH, Settings > Apps); the installed kyso.exe runs (--version, sign with a .p12 a file named in
Vietnamese, --pin-stdin, verify with JSON, doctor when the command exists, tokens with 64- and
32-bit drivers in System32, SysWOW64, Program Files and the registry); user data lands in
%APPDATA% / %LOCALAPPDATA%; an upgrade in place keeps it; the uninstaller removes every
program file. The app itself needs Microsoft's WebView2 runtime, which Wine cannot have: the
test only checks that it says so.

Wine 8.0 lacks bcryptprimitives.dll (ProcessPrng), which every Rust >= 1.78 program imports: a
test-only stand-in (bcryptprimitives.c) is built with mingw into the test prefix, never into
an installer.

Linux: the .deb's control data and contents, its detached signature (openssl and kyso verify),
its programs unpacked and run the same way, the app started under Xvfb, dependencies
resolvable by apt; SHA256SUMS.

Run after `bash scripts/package.sh --sign-p12 target/package-certs/codesign.p12` (as
scripts/test.sh does, with the test certificate from tests/packaging/make-codesign.sh).
"""
import glob
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIST = os.path.join(ROOT, "dist")
HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(ROOT, "target/packaging-tests")
CERTS = os.path.join(ROOT, "target/package-certs")
STAGE = os.path.join(ROOT, "target/package/windows")
WINE = shutil.which("wine64") or "/usr/lib/wine/wine64"
P12_PASS = "kyso-test"
VIET = "Quyết định số 01.pdf"

# DLLs every supported Windows (10, 11, Server 2016+) has; anything else must be shipped.
WINDOWS_DLLS = {
    "kernel32.dll", "ntdll.dll", "advapi32.dll", "combase.dll", "user32.dll", "gdi32.dll", "shell32.dll", "ole32.dll",
    "oleaut32.dll", "comctl32.dll", "comdlg32.dll", "crypt32.dll", "secur32.dll", "ws2_32.dll", "userenv.dll",
    "bcrypt.dll", "bcryptprimitives.dll", "ncrypt.dll", "shlwapi.dll", "uxtheme.dll", "dwmapi.dll", "winmm.dll",
    "version.dll", "propsys.dll", "dbghelp.dll", "msvcrt.dll", "ucrtbase.dll", "winspool.drv", "imm32.dll",
    "setupapi.dll", "iphlpapi.dll", "powrprof.dll", "netapi32.dll", "rpcrt4.dll", "credui.dll", "wintrust.dll",
    "dxgi.dll", "d3d11.dll", "msimg32.dll", "oleacc.dll", "shcore.dll", "gdiplus.dll", "winhttp.dll",
    "wininet.dll", "urlmon.dll", "cfgmgr32.dll", "hid.dll", "opengl32.dll", "dcomp.dll", "usp10.dll",
}


def version():
    text = open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8").read()
    return re.search(r'\[workspace\.package\]\s*version = "([^"]+)"', text).group(1)


def setup_exe():
    return os.path.join(DIST, "Kyso-%s-x64-setup.exe" % version())


def deb_file():
    return os.path.join(DIST, "kyso_%s_amd64.deb" % version())


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 180)
    return subprocess.run(cmd, **kw)


@pytest.fixture(scope="session", autouse=True)
def packaged():
    for f in (setup_exe(), deb_file(), os.path.join(CERTS, "ca.cert.pem"), os.path.join(STAGE, "kyso.exe")):
        if not os.path.exists(f):
            pytest.fail("%s is missing: run tests/packaging/make-codesign.sh target/package-certs, then "
                        "scripts/package.sh --sign-p12 target/package-certs/codesign.p12 (scripts/test.sh does)" % f)


@pytest.fixture(scope="session")
def work():
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    return WORK


@pytest.fixture(scope="session")
def pki(work):
    pki, pdfs = os.path.join(WORK, "pki"), os.path.join(WORK, "pdfs")
    run(["bash", os.path.join(ROOT, "tests/fixtures/make-pki.sh"), pki], check=True, timeout=600)
    run(["python3", os.path.join(ROOT, "tests/fixtures/make_pdfs.py"), pdfs], check=True)
    docs = os.path.join(WORK, "tài liệu")
    os.makedirs(docs)
    shutil.copy(os.path.join(pdfs, "vietnamese.pdf"), os.path.join(docs, VIET))
    return {"dir": pki, "p12": os.path.join(pki, "rsa2048.p12"), "root": os.path.join(pki, "root.cert.pem"),
            "nssdb": os.path.join(pki, "nssdb"), "docs": docs}


def pdfsig_ok(path, nssdb):
    out = run(["pdfsig", "-nssdir", "sql:" + nssdb, path]).stdout.decode()
    return "Signature Validation: Signature is Valid." in out and "Total document signed" in out


def start_xvfb():
    """An Xvfb on a display number it picks itself (-displayfd): no clash with other servers."""
    r, w = os.pipe()
    p = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                         pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    num = b""
    while not num.endswith(b"\n"):
        chunk = os.read(r, 16)
        if not chunk:
            break
        num += chunk
    os.close(r)
    assert num.strip(), "Xvfb did not start"
    return p, ":" + num.decode().strip()


def zpath(p):
    """A Linux path as Wine sees it (drive Z: is /)."""
    return "Z:" + p.replace("/", "\\")


class Wine:
    def __init__(self, prefix):
        self.prefix = prefix
        self.env = dict(os.environ, WINEPREFIX=prefix, WINEDEBUG="-all", WINEARCH="win64",
                        # No Mono / Gecko download prompts: Kyso needs neither.
                        WINEDLLOVERRIDES="mscoree=;mshtml=", LANG="C.UTF-8")
        self.env.pop("DISPLAY", None)
        self.drive_c = os.path.join(prefix, "drive_c")

    def run(self, args, **kw):
        kw.setdefault("env", self.env)
        return run([WINE] + args, **kw)

    def wait(self):
        run(["wineserver", "-w"], env=self.env, timeout=120)

    def reg_query(self, key, value=None):
        args = ["reg", "query", key] + (["/v", value] if value else [])
        r = self.run(args)
        return r.returncode, r.stdout.decode("utf-8", "replace")

    def reg_export(self, key):
        """The key as a .reg text (UTF-16, so Vietnamese values survive; `reg query` prints
        through the console's code page)."""
        out = os.path.join(WORK, "export.reg")
        if os.path.exists(out):
            os.remove(out)
        r = self.run(["reg", "export", key, zpath(out), "/y"])
        return r.returncode, open(out, encoding="utf-16").read() if r.returncode == 0 else ""

    def program_files(self):
        return os.path.join(self.drive_c, "Program Files", "Kyso")

    def user_dir(self, kind):
        users = glob.glob(os.path.join(self.drive_c, "users", "*", "AppData", kind))
        users = [u for u in users if "/Public/" not in u]
        assert users, "no %s folder in the prefix" % kind
        return users[0]


@pytest.fixture(scope="session")
def wine(work):
    if not os.path.exists(WINE):
        pytest.fail("wine64 is missing (scripts/setup.sh --test installs it)")
    w = Wine(os.path.join(WORK, "wineprefix"))
    shutil.rmtree(w.prefix, ignore_errors=True)
    r = w.run(["wineboot", "-i"], timeout=300)
    assert r.returncode == 0, r.stderr
    w.wait()
    # The test-only ProcessPrng stand-in, into this prefix's System32 (never into an installer).
    r = run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o",
             os.path.join(w.drive_c, "windows", "system32", "bcryptprimitives.dll"),
             os.path.join(HERE, "bcryptprimitives.c"), "-ladvapi32"])
    assert r.returncode == 0, r.stderr
    yield w
    run(["wineserver", "-k"], env=w.env)


def imported_dlls(path):
    out = run(["x86_64-w64-mingw32-objdump", "-p", path], check=True).stdout.decode()
    return {m.lower() for m in re.findall(r"DLL Name: (\S+)", out)}


# ---- Windows -------------------------------------------------------------------------------

def test_executables_import_only_windows_dlls_and_shipped_ones():
    shipped = {"webview2loader.dll"}
    for name in ("kyso.exe", "kyso-app.exe"):
        dlls = imported_dlls(os.path.join(STAGE, name))
        assert "kernel32.dll" in dlls
        unknown = dlls - WINDOWS_DLLS - shipped - {d for d in dlls if d.startswith(("api-ms-win-", "ext-ms-win-"))}
        # No MinGW runtime (libgcc_s_seh-1.dll, libwinpthread-1.dll …): a user's PC has none.
        assert not unknown, "%s imports DLLs that Windows lacks and the installer does not ship: %s" % (name, unknown)
    assert "webview2loader.dll" in imported_dlls(os.path.join(STAGE, "kyso-app.exe"))
    # The stand-in for Wine is not in the installer's files.
    assert not os.path.exists(os.path.join(STAGE, "bcryptprimitives.dll"))


def authenticode_ok(path):
    r = run(["osslsigncode", "verify", "-CAfile", os.path.join(CERTS, "ca.cert.pem"), "-in", path])
    return r.returncode == 0 and b"Signature verification: ok" in r.stdout


def test_installer_and_programs_are_signed_and_a_changed_byte_breaks_it(tmp_path):
    assert authenticode_ok(setup_exe())
    for name in ("kyso.exe", "kyso-app.exe"):
        assert authenticode_ok(os.path.join(STAGE, name)), name
    out = run(["osslsigncode", "verify", "-CAfile", os.path.join(CERTS, "ca.cert.pem"), "-in", setup_exe()]).stdout
    assert b"Kyso Test Publisher" in out
    bad = tmp_path / "changed.exe"
    data = bytearray(open(setup_exe(), "rb").read())
    data[len(data) // 2] ^= 0x01
    bad.write_bytes(bytes(data))
    assert not authenticode_ok(str(bad))


def test_silent_install(wine):
    r = wine.run([setup_exe(), "/S"], timeout=300)
    assert r.returncode == 0, r.stderr
    wine.wait()
    pf = wine.program_files()
    for f in ("kyso-app.exe", "kyso.exe", "WebView2Loader.dll", "uninstall.exe", "kyso.ico", "LICENSE.txt"):
        assert os.path.isfile(os.path.join(pf, f)), f
    # The uninstaller was signed before it was packed.
    assert authenticode_ok(os.path.join(pf, "uninstall.exe"))
    start = os.path.join(wine.drive_c, "ProgramData", "Microsoft", "Windows", "Start Menu", "Programs", "Kyso")
    assert os.path.isfile(os.path.join(start, "Kyso - Ký số văn bản.lnk"))
    code, out = wine.reg_export(r"HKLM\Software\Classes\SystemFileAssociations\.pdf\shell\KysoSign")
    assert code == 0 and '"MUIVerb"="Ký số bằng Kyso"' in out, out
    assert '@="\\"C:\\\\Program Files\\\\Kyso\\\\kyso-app.exe\\" --sign \\"%1\\""' in out, out
    code, out = wine.reg_export(r"HKLM\Software\Classes\SystemFileAssociations\.pdf\shell\KysoCheck")
    assert code == 0 and '"MUIVerb"="Kiểm tra chữ ký"' in out and '--check \\"%1\\"' in out, out
    code, out = wine.reg_query(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment", "Path")
    assert "Program Files\\Kyso" in out, out
    code, out = wine.reg_query(r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Kyso", "DisplayVersion")
    assert version() in out, out


def kyso(wine, *args, **kw):
    return wine.run([os.path.join(wine.program_files(), "kyso.exe")] + list(args), **kw)


def test_installed_cli_runs_and_is_on_the_path(wine):
    r = kyso(wine, "--version")
    assert r.returncode == 0, r.stderr
    assert version() in r.stdout.decode()
    # A new console finds `kyso` through the system PATH the installer extended.
    r = wine.run(["cmd", "/c", "kyso --version"])
    assert r.returncode == 0 and version() in r.stdout.decode(), (r.stdout, r.stderr)


def test_sign_a_vietnamese_file_name_and_verify_it(wine, pki):
    src = os.path.join(pki["docs"], VIET)
    env = dict(wine.env, P12PASS=P12_PASS)
    r = kyso(wine, "sign", zpath(src), "--p12", zpath(pki["p12"]), "--p12-password-env", "P12PASS", "--json", env=env)
    assert r.returncode == 0, (r.stdout, r.stderr)
    out = os.path.join(pki["docs"], "Quyết định số 01-signed.pdf")
    assert os.path.isfile(out)
    assert pdfsig_ok(out, pki["nssdb"])
    r = kyso(wine, "verify", zpath(out), "--trust", zpath(pki["root"]), "--offline", "--json")
    assert r.returncode == 0, (r.stdout, r.stderr)
    report = json.loads(r.stdout.decode("utf-8"))
    f = report["files"][0]
    assert f["verdict"] == "TOTAL_PASSED", f
    assert f["path"].endswith("Quyết định số 01-signed.pdf")
    assert f["signatures"][0]["indication"] == "TOTAL_PASSED"
    # The journal is in %LOCALAPPDATA%\Kyso, nothing beside the program.
    assert os.path.isfile(os.path.join(wine.user_dir("Local"), "Kyso", "journal.sqlite3"))
    assert sorted(os.listdir(wine.program_files())) == sorted(
        ["kyso-app.exe", "kyso.exe", "WebView2Loader.dll", "uninstall.exe", "kyso.ico", "LICENSE.txt", "README.txt"])


def test_pin_from_standard_input_on_windows(wine, pki):
    src = os.path.join(pki["docs"], VIET)
    out = os.path.join(pki["docs"], "qua stdin.pdf")
    r = kyso(wine, "sign", zpath(src), "-o", zpath(out), "--p12", zpath(pki["p12"]), "--pin-stdin", "--json",
             input=(P12_PASS + "\r\n").encode())
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert pdfsig_ok(out, pki["nssdb"])
    assert P12_PASS.encode() not in r.stdout + r.stderr
    # --pin-fd has no /dev/fd to read on Windows: a clear pointer to --pin-stdin.
    r = kyso(wine, "sign", zpath(src), "-o", zpath(out + ".2.pdf"), "--p12", zpath(pki["p12"]), "--pin-fd", "3", "--json")
    assert r.returncode != 0
    assert "--pin-stdin" in r.stdout.decode() + r.stderr.decode()


def test_settings_and_trust_store_live_in_appdata(wine, pki):
    r = kyso(wine, "trust", "import", zpath(pki["root"]), "--custom", "--json")
    assert r.returncode == 0, (r.stdout, r.stderr)
    trust = os.path.join(wine.user_dir("Roaming"), "Kyso", "trust")
    assert os.path.isdir(trust) and os.listdir(trust)
    r = kyso(wine, "profile", "set", "--org", "Sở Nội vụ tỉnh Bắc Giang")
    assert r.returncode == 0, (r.stdout, r.stderr)
    assert os.path.isfile(os.path.join(wine.user_dir("Roaming"), "Kyso", "profile", "profile.json"))


def test_doctor_when_it_exists(wine):
    help_text = kyso(wine, "--help").stdout.decode()
    if not re.search(r"^\s+doctor\b", help_text, re.M):
        pytest.skip("kyso doctor is not part of this build yet")
    r = kyso(wine, "doctor", "--json")
    assert r.returncode in (0, 1, 2), r.stderr
    json.loads(r.stdout.decode("utf-8"))


def tokens(wine):
    r = kyso(wine, "tokens", "--json")
    return r.returncode, json.loads(r.stdout.decode("utf-8"))


def test_token_drivers_found_once_and_32_bit_ones_explained(wine, tmp_path):
    sys32 = os.path.join(wine.drive_c, "windows", "system32")
    wow = os.path.join(wine.drive_c, "windows", "syswow64")
    stub64, stub32 = str(tmp_path / "p11-64.dll"), str(tmp_path / "p11-32.dll")
    assert run(["x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", stub64, os.path.join(HERE, "p11stub.c")]).returncode == 0
    assert run(["i686-w64-mingw32-gcc", "-O2", "-shared", "-o", stub32, os.path.join(HERE, "p11stub.c")]).returncode == 0
    placed = []

    def place(src, *parts):
        dst = os.path.join(wine.drive_c, *parts)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy(src, dst)
        placed.append(dst)
        return dst

    try:
        # Nothing installed: no driver, not a success.
        code, out = tokens(wine)
        assert code == 2 and out["modules"] == [], out
        # The VGCA driver, 64-bit in System32 and 32-bit in SysWOW64: listed once, the 64-bit one.
        place(stub64, "windows", "system32", "bit4xpki.dll")
        place(stub32, "windows", "syswow64", "bit4xpki.dll")
        code, out = tokens(wine)
        mods = [m["module"] for m in out["modules"]]
        assert mods == ["C:\\windows\\system32\\bit4xpki.dll"] or [m.lower() for m in mods] == ["c:\\windows\\system32\\bit4xpki.dll"], out
        # Every driver failed to load (the stub answers CKR_DEVICE_ERROR): not exit 0.
        assert code == 2 and "error" in out["modules"][0], out
        # Only the 32-bit one left: Kyso says why it cannot use it, before trying to load it.
        os.remove(os.path.join(sys32, "bit4xpki.dll"))
        code, out = tokens(wine)
        assert code == 2 and len(out["modules"]) == 1, out
        msg = out["modules"][0]["error"]["message"]
        assert "32-bit" in msg and "64-bit" in msg and "LoadLibraryExW failed" not in msg, msg
        # A damaged driver file: the loader's real cause, not just "LoadLibraryExW failed".
        broken = place(stub64, "windows", "system32", "vnptca_p11_v8.dll")
        with open(broken, "r+b") as f:
            f.seek(0x3C)
            f.write(b"\xff\xff\xff\x7f")
        code, out = tokens(wine)
        msg = [m for m in out["modules"] if "vnptca" in m["module"].lower()][0]["error"]["message"]
        assert re.search(r"os error \d+|not a valid|%1", msg), msg
        os.remove(broken)
        placed.remove(broken)
        # In a vendor's Program Files folder, and named only by its CSP registration in the registry.
        place(stub64, "Program Files", "VNPT-CA Token", "x64", "vnptca_p11_v11.dll")
        place(stub64, "Drivers", "ViettelCA", "viettel-ca_v6.dll")
        place(stub64, "Drivers", "ViettelCA", "viettel-ca_v6_s.dll")
        r = wine.run(["reg", "add", r"HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider\Viettel-CA v6 CSP",
                      "/v", "Image Path", "/t", "REG_SZ", "/d", r"C:\Drivers\ViettelCA\viettel-ca_v6_s.dll", "/f"])
        assert r.returncode == 0, r.stderr
        code, out = tokens(wine)
        mods = [m["module"].lower() for m in out["modules"]]
        assert r"c:\program files\vnpt-ca token\x64\vnptca_p11_v11.dll" in mods, mods
        assert r"c:\drivers\viettelca\viettel-ca_v6.dll" in mods, mods
        assert mods[-1].endswith(r"syswow64\bit4xpki.dll"), mods
        assert len(mods) == len(set(mods)), mods
    finally:
        wine.run(["reg", "delete", r"HKLM\SOFTWARE\Microsoft\Cryptography\Defaults\Provider\Viettel-CA v6 CSP", "/f"])
        for p in placed:
            if os.path.exists(p):
                os.remove(p)


def test_app_says_webview2_is_missing(wine):
    """Wine has no WebView2 runtime (only Microsoft ships it): the window cannot be shown here,
    so only the app's message is checked. Under Xvfb, the system dialog it opens is closed by
    ending this prefix's Wine processes."""
    if not shutil.which("Xvfb"):
        pytest.skip("Xvfb is missing")
    xvfb, display = start_xvfb()
    try:
        env = dict(wine.env, DISPLAY=display)
        p = subprocess.Popen([WINE, os.path.join(wine.program_files(), "kyso-app.exe")], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        text = b""
        deadline = time.time() + 60
        os.set_blocking(p.stderr.fileno(), False)
        while time.time() < deadline and b"WebView2" not in text and p.poll() is None:
            time.sleep(0.5)
            text += p.stderr.read() or b""
        run(["wineserver", "-k"], env=wine.env)
        p.wait(30)
        text += p.stderr.read() or b""
        t = text.decode("utf-8", "replace")
        assert "WebView2 Runtime" in t and "go.microsoft.com" in t, t[-2000:]
        assert "Hãy cài WebView2 Runtime" in t
    finally:
        xvfb.terminate()


def test_upgrade_in_place_keeps_user_data(wine, tmp_path):
    # The same programs packed as a newer release (makensis is the tool package.sh uses).
    newer = str(tmp_path / "Kyso-upgrade-setup.exe")
    r = run(["makensis", "-V2", "-DVERSION=99.0.0", "-DSRCDIR=" + STAGE, "-DOUTFILE=" + newer,
             os.path.join(ROOT, "packaging/windows/kyso.nsi")])
    assert r.returncode == 0, r.stdout + r.stderr
    roaming = os.path.join(wine.user_dir("Roaming"), "Kyso")
    local = os.path.join(wine.user_dir("Local"), "Kyso")
    before = {p: open(p, "rb").read() for p in glob.glob(roaming + "/**/*", recursive=True) + glob.glob(local + "/**/*", recursive=True)
              if os.path.isfile(p)}
    assert before
    r = wine.run([newer, "/S"], timeout=300)
    assert r.returncode == 0, r.stderr
    wine.wait()
    code, out = wine.reg_query(r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Kyso", "DisplayVersion")
    assert "99.0.0" in out, out
    for p, data in before.items():
        if p.endswith(("-wal", "-shm")):
            continue
        assert os.path.exists(p), p
        if "sqlite" not in p:
            assert open(p, "rb").read() == data, p
    # The PATH holds the folder once, and the journal still lists the earlier signing.
    code, out = wine.reg_query(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment", "Path")
    assert out.lower().count("program files\\kyso") == 1, out
    r = kyso(wine, "journal", "--json")
    assert r.returncode == 0 and "Quyết định số 01" in r.stdout.decode("utf-8"), r.stdout


def test_uninstall_leaves_no_program_files(wine):
    r = wine.run([os.path.join(wine.program_files(), "uninstall.exe"), "/S"], timeout=300)
    assert r.returncode == 0, r.stderr
    wine.wait()
    for _ in range(60):  # NSIS's uninstaller finishes from a copy of itself in %TEMP%.
        if not os.path.exists(wine.program_files()):
            break
        time.sleep(1)
    assert not os.path.exists(wine.program_files()), os.listdir(wine.program_files())
    start = os.path.join(wine.drive_c, "ProgramData", "Microsoft", "Windows", "Start Menu", "Programs", "Kyso")
    assert not os.path.exists(start)
    code, _ = wine.reg_query(r"HKLM\Software\Classes\SystemFileAssociations\.pdf\shell\KysoSign")
    assert code != 0
    code, _ = wine.reg_query(r"HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\Kyso")
    assert code != 0
    code, out = wine.reg_query(r"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment", "Path")
    assert "kyso" not in out.lower() and "system32" in out.lower(), out
    # Each user's settings, trust store and journal stay (they are the user's, not the program's).
    assert os.path.isdir(os.path.join(wine.user_dir("Roaming"), "Kyso", "trust"))


# ---- Linux ---------------------------------------------------------------------------------

def test_deb_control_and_contents():
    info = run(["dpkg-deb", "-f", deb_file()], check=True).stdout.decode()
    assert re.search(r"^Package: kyso$", info, re.M)
    assert re.search(r"^Version: %s$" % re.escape(version()), info, re.M)
    assert re.search(r"^Architecture: amd64$", info, re.M)
    depends = re.search(r"^Depends: (.*)$", info, re.M).group(1)
    for lib in ("libwebkit2gtk-4.1-0", "libgtk-3-0", "libc6"):
        assert lib in depends, depends
    files = run(["dpkg-deb", "-c", deb_file()], check=True).stdout.decode()
    for f in ("./usr/bin/kyso", "./usr/bin/kyso-app", "./usr/share/applications/vn.kyso.Kyso.desktop",
              "./usr/share/icons/hicolor/128x128/apps/vn.kyso.Kyso.png", "./usr/share/doc/kyso/copyright"):
        assert re.search(r"\s%s$" % re.escape(f), files, re.M), f
    assert "root/root" in files
    # apt can satisfy its dependencies on this Debian (simulated: nothing is installed).
    r = run(["apt-get", "install", "-s", "--no-install-recommends", deb_file()])
    assert r.returncode == 0, r.stderr
    if shutil.which("desktop-file-validate"):
        d = os.path.join(WORK, "desktop")
        shutil.rmtree(d, ignore_errors=True)
        run(["dpkg-deb", "-x", deb_file(), d], check=True)
        r = run(["desktop-file-validate", os.path.join(d, "usr/share/applications/vn.kyso.Kyso.desktop")])
        assert r.returncode == 0, r.stdout + r.stderr


def test_deb_detached_signature_and_checksums(tmp_path):
    sig = deb_file() + ".p7s"
    r = run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", deb_file(),
             "-CAfile", os.path.join(CERTS, "ca.cert.pem"), "-purpose", "any", "-out", os.devnull])
    assert r.returncode == 0, r.stderr
    changed = tmp_path / "changed.deb"
    data = bytearray(open(deb_file(), "rb").read())
    data[-100] ^= 1
    changed.write_bytes(bytes(data))
    r = run(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", sig, "-content", str(changed),
             "-CAfile", os.path.join(CERTS, "ca.cert.pem"), "-purpose", "any", "-out", os.devnull])
    assert r.returncode != 0
    r = run(["sha256sum", "-c", "SHA256SUMS"], cwd=DIST)
    assert r.returncode == 0, r.stdout
    listed = open(os.path.join(DIST, "SHA256SUMS")).read()
    for f in (os.path.basename(setup_exe()), os.path.basename(deb_file()), os.path.basename(sig)):
        assert f in listed


@pytest.fixture(scope="session")
def unpacked(work):
    d = os.path.join(WORK, "deb")
    shutil.rmtree(d, ignore_errors=True)
    run(["dpkg-deb", "-x", deb_file(), d], check=True)
    return d


def test_deb_cli_signs_and_verifies(unpacked, pki, tmp_path):
    kyso_bin = os.path.join(unpacked, "usr/bin/kyso")
    env = dict(os.environ, P12PASS=P12_PASS, KYSO_CONFIG_DIR=str(tmp_path / "config"), KYSO_DATA_DIR=str(tmp_path / "data"))
    r = run([kyso_bin, "--version"], env=env)
    assert r.returncode == 0 and version() in r.stdout.decode()
    docs = tmp_path / "hồ sơ"
    docs.mkdir()
    src = docs / VIET
    shutil.copy(os.path.join(pki["docs"], VIET), src)
    r = run([kyso_bin, "sign", str(src), "--p12", pki["p12"], "--p12-password-env", "P12PASS", "--json"], env=env)
    assert r.returncode == 0, r.stderr
    out = docs / "Quyết định số 01-signed.pdf"
    assert pdfsig_ok(str(out), pki["nssdb"])
    r = run([kyso_bin, "verify", str(out), "--trust", pki["root"], "--offline", "--json"], env=env)
    assert r.returncode == 0 and json.loads(r.stdout)["files"][0]["verdict"] == "TOTAL_PASSED"
    # The .deb's own detached signature checks out in Kyso too (CAdES detached, test root).
    r = run([kyso_bin, "verify", deb_file() + ".p7s", "--content", deb_file(), "--trust",
             os.path.join(CERTS, "ca.cert.pem"), "--offline", "--json"], env=env)
    report = json.loads(r.stdout)
    assert r.returncode == 0 and report["files"][0]["verdict"] == "TOTAL_PASSED", report
    assert report["files"][0]["signatures"][0]["signer"]["common_name"] == "Kyso Test Publisher"
    changed = tmp_path / os.path.basename(deb_file())
    data = bytearray(open(deb_file(), "rb").read())
    data[-100] ^= 1
    changed.write_bytes(bytes(data))
    r = run([kyso_bin, "verify", deb_file() + ".p7s", "--content", str(changed), "--trust",
             os.path.join(CERTS, "ca.cert.pem"), "--offline", "--json"], env=env)
    assert r.returncode == 1 and json.loads(r.stdout)["files"][0]["verdict"] == "TOTAL_FAILED"
    help_text = run([kyso_bin, "--help"], env=env).stdout.decode()
    if re.search(r"^\s+doctor\b", help_text, re.M):
        r = run([kyso_bin, "doctor", "--json"], env=env)
        json.loads(r.stdout)


def test_deb_app_starts_under_xvfb(unpacked, tmp_path):
    app = os.path.join(unpacked, "usr/bin/kyso-app")
    xvfb, display = start_xvfb()
    try:
        env = dict(os.environ, DISPLAY=display, KYSO_STARTUP_PROBE="1", NO_AT_BRIDGE="1",
                   KYSO_CONFIG_DIR=str(tmp_path / "config"), KYSO_DATA_DIR=str(tmp_path / "data"))
        p = subprocess.Popen([app], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        text = b""
        os.set_blocking(p.stderr.fileno(), False)
        deadline = time.time() + 60
        while time.time() < deadline and b"kyso-startup-ms" not in text and p.poll() is None:
            time.sleep(0.2)
            text += p.stderr.read() or b""
        alive = p.poll() is None
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(20)
        assert b"kyso-startup-ms" in text and alive, text.decode("utf-8", "replace")[-2000:]
    finally:
        xvfb.terminate()
