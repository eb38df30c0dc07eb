import sys
import unittest

import pytest


# ruleid: py-security-test-skipped
@pytest.mark.skip(reason="flaky after refactor")
def test_login_rejects_wrong_password(client):
    assert client.post("/login", data={"password": "nope"}).status_code == 401


# ruleid: py-security-test-skipped
@pytest.mark.xfail
def test_admin_requires_permission(client):
    assert client.get("/admin").status_code == 403


class TestCsrf(unittest.TestCase):
    # ruleid: py-security-test-skipped
    @unittest.skip("TODO")
    def test_csrf_token_required(self):
        self.assertEqual(post_without_token().status_code, 403)

    def test_token_expiry(self):
        # ruleid: py-security-test-skipped
        self.skipTest("fails on CI")
        self.assertTrue(token_expired())


# ok: py-security-test-skipped
@pytest.mark.skipif(sys.platform == "win32", reason="no unix sockets")
def test_socket_permissions(tmp_path):
    assert tmp_path.exists()


# ok: py-security-test-skipped
@pytest.mark.skip(reason="slow")
def test_render_large_report():
    assert True is not None


def test_tls_handshake():
    if not HAS_OPENSSL:
        # ok: py-security-test-skipped
        pytest.skip("OpenSSL not available")
    assert handshake()
