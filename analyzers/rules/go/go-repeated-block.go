package billing

func Charge(o *Order, g Gateway, l Ledger) error {
	var amount int64
	amount = o.Total()
	g.Charge(o.Card, amount)
	l.Record(o.ID, amount)
	// ruleid: go-repeated-block
	amount = o.Total()
	g.Charge(o.Card, amount)
	l.Record(o.ID, amount)
	// ok: go-repeated-block
	if err := g.Flush(); err != nil {
		return err
	}
	if err := l.Flush(); err != nil {
		return err
	}
	return nil
}

func Close(a, b io.Closer) {
	if err := a.Close(); err != nil {
		log.Printf("close: %v", err)
	}
	// ruleid: go-repeated-block
	if err := a.Close(); err != nil {
		log.Printf("close: %v", err)
	}
	// ok: go-repeated-block
	mu.Lock()
	mu.Unlock()
}
