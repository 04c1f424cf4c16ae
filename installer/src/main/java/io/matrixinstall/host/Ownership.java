package io.matrixinstall.host;

/** Numeric owner and group, as the seed gives them (root, or Synapse's 991). */
public record Ownership(int uid, int gid) {
    public static final Ownership ROOT = new Ownership(0, 0);
    /** The uid/gid the official Synapse image runs as. */
    public static final Ownership SYNAPSE = new Ownership(991, 991);

    // equals and hashCode written out: a record's own are linked through method handles at first use, and this is the
    // one record a no-op run compares (every managed path's owner), ~10 ms of its start.
    @Override
    public boolean equals(Object other) {
        return other instanceof Ownership that && uid == that.uid && gid == that.gid;
    }

    @Override
    public int hashCode() {
        return 31 * uid + gid;
    }

    @Override
    public String toString() {
        return (uid == 0 ? "root" : Integer.toString(uid)) + ":" + (gid == 0 ? "root" : Integer.toString(gid));
    }
}
