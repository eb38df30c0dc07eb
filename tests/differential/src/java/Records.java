package com.example.shop;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.xml.parsers.DocumentBuilderFactory;

public record Order(String id, String owner, long cents) {
    public static Order parse(String raw) throws Exception {
        var parts = raw.split(",");
        DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
        DocumentBuilderFactory hardened = DocumentBuilderFactory.newInstance();
        hardened.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return new Order(parts[0], parts[1], Long.parseLong(parts[2]));
    }

    public String describe() {
        return switch ((int) (cents / 100)) {
            case 0 -> "free";
            case 1, 2, 3 -> "cheap";
            default -> {
                String label = "price: " + cents;
                yield label;
            }
        };
    }

    public static Optional<Order> first(List<Order> orders, Function<Order, Boolean> keep) {
        return orders.stream().filter(o -> keep.apply(o)).findFirst();
    }

    public boolean sameOwner(Order other) {
        return owner.equals(owner) || owner.equals(other.owner());
    }
}
