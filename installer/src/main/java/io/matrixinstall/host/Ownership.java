package io.matrixinstall.host;

/** Numeric owner and group, as the seed gives them (root, or Synapse's 991). */
public record Ownership(int uid, int gid) {
    public static final Ownership ROOT = new Ownership(0, 0);
    /** The uid/gid the official Synapse image runs as. */
    public static final Ownership SYNAPSE = new Ownership(991, 991);

    @Override
    public String toString() {
        return (uid == 0 ? "root" : Integer.toString(uid)) + ":" + (gid == 0 ? "root" : Integer.toString(gid));
    }
}
