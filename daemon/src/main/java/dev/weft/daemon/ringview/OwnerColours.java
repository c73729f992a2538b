package dev.weft.daemon.ringview;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A colour per owner, picked in name order from a palette that stays apart for the common colour
 * blindnesses (Okabe–Ito, then Tol's), so the same cluster draws the same colours on every refresh.
 */
final class OwnerColours {
    private static final String[] PALETTE = {"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
        "#F0E442", "#332288", "#117733", "#88CCEE", "#AA4499", "#44AA99", "#999933", "#882255"};
    static final String GAP = "#BBBBBB";

    private final Map<String, String> colours = new HashMap<>();

    OwnerColours(List<RingModel.Owner> owners) {
        int i = 0;
        for (RingModel.Owner o : owners) {
            colours.put(o.name(), PALETTE[i++ % PALETTE.length]);
        }
    }

    String of(String owner) {
        return colours.getOrDefault(owner, GAP);
    }
}
