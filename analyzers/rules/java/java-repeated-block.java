class Billing {
    void charge(Order o, Gateway g, Ledger l) {
        long amount;
        amount = o.total();
        g.charge(o.card(), amount);
        l.record(o.id(), amount);
        // ruleid: java-repeated-block
        amount = o.total();
        g.charge(o.card(), amount);
        l.record(o.id(), amount);
    }

    boolean isAdmin(User u) {
        if (u == null) {
            return false;
        }
        return u.role().equals("admin");
    }

    // ruleid: java-repeated-block
    boolean isAdmin(User u) {
        if (u == null) {
            return false;
        }
        return u.role().equals("admin");
    }

    // ok: java-repeated-block
    Billing(String host, int port, String user) {
        this.host = host;
        this.port = port;
        this.user = user;
    }

    // ok: java-repeated-block
    void close() {
        in.close();
        out.close();
    }
}
