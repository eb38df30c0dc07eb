def test_only_admin_can_delete(client):
    resp = client.delete("/items/1")
    # ruleid: py-vacuous-test
    assert True


def test_password_is_hashed(user):
    # ruleid: py-vacuous-test
    assert 1 == 1, "hashing checked elsewhere"


class TestTokens:
    def test_expired_token_rejected(self):
        # ruleid: py-vacuous-test
        self.assertTrue(True)

    def test_signature_required(self):
        # ruleid: py-vacuous-test
        pass


def test_only_admin_can_delete_ok(client):
    resp = client.delete("/items/1")
    # ok: py-vacuous-test
    assert resp.status_code == 403


def test_round_trip(codec):
    value = codec.decode(codec.encode("x"))
    # ok: py-vacuous-test
    assert value == value.strip()
    # ok: py-vacuous-test
    assert codec.enabled is True
    # ok: py-vacuous-test
    assert hash(codec.encode("a")) == hash(codec.encode("a"))


def test_skip_on_windows(self):
    # ok: py-vacuous-test
    pass


def helper():
    # ok: py-vacuous-test
    pass
