"""Documents for tests/hostile_signed.rs, made by pyHanko (run with the test venv's Python).

  pyhanko_docs.py encrypt IN OUT SCHEME USERPW   encrypts IN (a new file) with SCHEME:
                                                 aes256 (R6), aes256-mac (R6 with pyHanko's
                                                 default ISO/TS 32004 MAC), aes128 (R4),
                                                 rc4 (R4, RC4-128)
  pyhanko_docs.py sign IN OUT KEY CERT [USERPW]  signs IN in an incremental update (field
                                                 "ChuKy1"), opening it with USERPW if encrypted
  pyhanko_docs.py fields IN [USERPW]             prints the field names pyHanko reads
"""
import sys

from pyhanko.pdf_utils.crypt import StandardSecurityHandler, StandardSecuritySettingsRevision
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import copy_into_new_writer
from pyhanko.sign import signers
from pyhanko.sign.signers import PdfSignatureMetadata


def encrypt(src, dst, scheme, user_pw):
    with open(src, "rb") as f:
        w = copy_into_new_writer(PdfFileReader(f))
        user = user_pw.encode()
        if scheme.startswith("aes256"):
            sh = StandardSecurityHandler.build_from_pw(b"owner-secret", user,
                                                       pdf_mac=(scheme == "aes256-mac"))
        else:
            sh = StandardSecurityHandler.build_from_pw_legacy(
                StandardSecuritySettingsRevision.RC4_OR_AES128, w.document_id[0],
                b"owner-secret", user, keylen_bytes=16, use_aes128=(scheme == "aes128"))
        w._assign_security_handler(sh)
        with open(dst, "wb") as out:
            w.write(out)


def sign(src, dst, key, cert, user_pw=None):
    signer = signers.SimpleSigner.load(key, cert)
    with open(src, "rb") as f:
        w = IncrementalPdfFileWriter(f)
        if user_pw is not None:
            w.encrypt(user_pw.encode())
        with open(dst, "wb") as out:
            signers.sign_pdf(w, PdfSignatureMetadata(field_name="ChuKy1", reason="Phê duyệt"),
                             signer=signer, output=out)


def fields(src, user_pw=None):
    with open(src, "rb") as f:
        r = PdfFileReader(f)
        if r.encrypted:
            r.decrypt((user_pw or "").encode())
        for ref in r.root["/AcroForm"]["/Fields"]:
            print(ref.get_object()["/T"])


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"encrypt": encrypt, "sign": sign, "fields": fields}[cmd](*args)
