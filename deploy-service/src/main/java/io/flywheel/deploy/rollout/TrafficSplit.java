package io.flywheel.deploy.rollout;

/**
 * Splits traffic by a stable hash of the routing key (a user id, a session, else the request id):
 * the same key always lands in the same one of 10,000 buckets, on every replica and after every
 * restart, so one user stays on one version. A key is on the candidate when its bucket is below
 * the candidate's share; buckets are fixed, so a user on the canary at 10% stays on it at 50%.
 * The model name salts the hash, so the same users are not the canaries of every model.
 *
 * <p>The hash is 64-bit FNV-1a over the UTF-16 code units, finished with MurmurHash3's fmix64
 * (good avalanche on short, similar keys). It allocates nothing.
 */
public final class TrafficSplit {

    public static final int BUCKETS = 10_000;

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private TrafficSplit() {
    }

    /** The key's bucket for this model, in [0, 10000). */
    public static int bucket(String model, String routingKey) {
        long h = OFFSET;
        h = mix(h, model);
        h ^= 0x1f; // separator: ("ab", "c") and ("a", "bc") differ
        h *= PRIME;
        h = mix(h, routingKey);
        return (int) Long.remainderUnsigned(fmix64(h), BUCKETS);
    }

    /** Whether the key's requests go to a candidate that takes {@code percent}% of traffic. */
    public static boolean toCandidate(String model, String routingKey, int percent) {
        if (percent <= 0) {
            return false;
        }
        if (percent >= 100) {
            return true;
        }
        return bucket(model, routingKey) < percent * (BUCKETS / 100);
    }

    private static long mix(long h, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            h ^= c & 0xff;
            h *= PRIME;
            h ^= c >>> 8;
            h *= PRIME;
        }
        return h;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
