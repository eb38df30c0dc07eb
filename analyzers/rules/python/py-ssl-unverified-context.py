import socket
import ssl
import urllib.request

import urllib3


def open_channel(host, url):
    # ruleid: py-ssl-unverified-context
    ctx = ssl._create_unverified_context()
    ctx2 = ssl.create_default_context()
    ctx2.check_hostname = False
    # ruleid: py-ssl-unverified-context
    ctx2.verify_mode = ssl.CERT_NONE
    # ruleid: py-ssl-unverified-context
    pool = urllib3.PoolManager(cert_reqs="CERT_NONE")
    # ok: py-ssl-unverified-context
    ctx3 = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")
    # ok: py-ssl-unverified-context
    ctx3.verify_mode = ssl.CERT_REQUIRED
    # ok: py-ssl-unverified-context
    ctx3.check_hostname = True
    # ruleid: py-ssl-unverified-context
    legacy = urllib3.PoolManager(cert_reqs=ssl.CERT_NONE)
    # ok: py-ssl-unverified-context
    pool2 = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")
    # ok: py-ssl-unverified-context
    resp = urllib.request.urlopen(url, context=ctx3)
    with socket.create_connection((host, 443)) as sock:
        with ctx3.wrap_socket(sock, server_hostname=host) as tls:
            tls.sendall(b"ping")
    return ctx, pool, pool2, resp, legacy
