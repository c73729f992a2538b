package dev.weft.core.peer;

/** The SplitMix64 finaliser: a cheap, well-spread 64-bit mix used for digests and for the core's PRNG. */
public final class Mix {
    private Mix() {}

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
