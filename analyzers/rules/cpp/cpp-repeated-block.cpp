void Session::close() {
    if (socket_) {
        socket_->shutdown();
    }
    // ruleid: cpp-repeated-block
    if (socket_) {
        socket_->shutdown();
    }
    // ok: cpp-repeated-block
    std::lock_guard<std::mutex> lock(mu_);
    state_ = State::closed;
}

void Ledger::post(const Entry& e) {
    entries_.push_back(e);
    total_ += e.amount;
    log_ << "posted " << e.id << '\n';
    // ruleid: cpp-repeated-block
    entries_.push_back(e);
    total_ += e.amount;
    log_ << "posted " << e.id << '\n';
}

// ok: cpp-repeated-block
void Config::load() {
    host_ = read("host");
    port_ = read("port");
    user_ = read("user");
}
