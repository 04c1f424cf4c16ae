package io.matrixinstall.host;

import java.util.function.Supplier;

/** What the host answered to one read of many: the value, or the failure a read on its own would have thrown. */
public record Answer<T>(T value, HostException failure) {

    public static <T> Answer<T> of(T value) {
        return new Answer<>(value, null);
    }

    /** The value {@code read} returns, or the {@link HostException} it throws, kept for later. */
    public static <T> Answer<T> from(Supplier<T> read) {
        try {
            return of(read.get());
        } catch (HostException e) {
            return new Answer<>(null, e);
        }
    }

    /** The value; throws what the read threw. */
    public T get() {
        if (failure != null) {
            throw failure;
        }
        return value;
    }
}
