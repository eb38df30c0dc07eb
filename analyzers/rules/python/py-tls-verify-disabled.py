import httpx
import jwt
import requests


def fetch(url, token, session):
    # ruleid: py-tls-verify-disabled
    r = requests.get(url, timeout=10, verify=False)
    # ruleid: py-tls-verify-disabled
    session.post(url, json={"token": token}, verify=False)
    # ruleid: py-tls-verify-disabled
    client = httpx.Client(base_url=url, verify=False)
    resp = requests.request(
        "PUT",
        url,
        # ruleid: py-tls-verify-disabled
        verify=False,
    )
    # ok: py-tls-verify-disabled
    r2 = requests.get(url, timeout=10)
    # ok: py-tls-verify-disabled
    r3 = requests.get(url, verify="/etc/ssl/certs/internal-ca.pem")
    # ok: py-tls-verify-disabled
    r4 = requests.get(url, verify=True)
    # ok: py-tls-verify-disabled
    form = build_form(verify=False)
    return r, client, resp, r2, r3, r4, form
