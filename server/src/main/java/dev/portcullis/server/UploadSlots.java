package dev.portcullis.server;

import dev.portcullis.auth.Principal;
import dev.portcullis.registry.ErrorCode;
import dev.portcullis.registry.RegistryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The upload requests a node serves at once: a total, and a share per principal and per client address, so that
 * one user (or one host) stalling many bodies cannot take every slot. An address gets four principals' worth, so
 * the people of an office behind one NAT address do not starve each other; in development mode, where everyone is
 * the same principal, the address share is all there is.
 */
final class UploadSlots {
    static final int ADDRESS_SHARES = 4;

    private final Semaphore total;
    private final int perPrincipal;
    private final Map<String, Integer> inUse = new ConcurrentHashMap<>();

    UploadSlots(int total, int perPrincipal) {
        this.total = new Semaphore(total);
        this.perPrincipal = perPrincipal;
    }

    /** A held slot; closing it gives it back. */
    interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    Slot acquire(Principal principal, String address) {
        if (!total.tryAcquire()) {
            throw busy("too many uploads are in progress on this server; retry shortly");
        }
        String byPrincipal = principal.kind() == Principal.Kind.DEV ? null : "principal " + principal.name();
        String byAddress = "address " + address;
        if (byPrincipal != null && !take(byPrincipal, perPrincipal)) {
            total.release();
            throw busy(principal.name() + " already has " + perPrincipal + " uploads in progress; finish those"
                    + " first, or retry shortly");
        }
        int addressLimit = principal.kind() == Principal.Kind.DEV ? perPrincipal : perPrincipal * ADDRESS_SHARES;
        if (!take(byAddress, addressLimit)) {
            if (byPrincipal != null) {
                give(byPrincipal);
            }
            total.release();
            throw busy(address + " already has " + addressLimit + " uploads in progress; retry shortly");
        }
        return () -> {
            give(byAddress);
            if (byPrincipal != null) {
                give(byPrincipal);
            }
            total.release();
        };
    }

    private boolean take(String key, int limit) {
        boolean[] taken = new boolean[1];
        inUse.compute(key, (k, n) -> {
            int current = n == null ? 0 : n;
            taken[0] = current < limit;
            return taken[0] ? current + 1 : n;
        });
        return taken[0];
    }

    private void give(String key) {
        inUse.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static RegistryException busy(String why) {
        return new RegistryException(ErrorCode.TOOMANYREQUESTS, why, Map.of("Retry-After", "1"));
    }
}
