def charge(order, gateway, ledger):
    amount = order.total()
    gateway.charge(order.card, amount)
    ledger.record(order.id, amount)
    # ruleid: py-repeated-block
    amount = order.total()
    gateway.charge(order.card, amount)
    ledger.record(order.id, amount)


def is_admin(user):
    if user is None:
        return False
    if user.disabled:
        return False
    return user.role == "admin"


def audit(event):
    log.info("audit %s", event)


# ruleid: py-repeated-block
def is_admin(user):
    if user is None:
        return False
    if user.disabled:
        return False
    return user.role == "admin"


# ok: py-repeated-block
def init(self, host, port, user):
    self.host = host
    self.port = port
    self.user = user


def handlers(app):
    # ok: py-repeated-block
    app.route("/a")(view_a)
    app.route("/b")(view_b)
    app.route("/c")(view_c)
    app.route("/d")(view_d)


def retry(op):
    # ok: py-repeated-block
    for attempt in range(3):
        try:
            return op()
        except TimeoutError:
            continue
