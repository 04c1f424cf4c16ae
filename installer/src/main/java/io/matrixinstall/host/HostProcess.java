package io.matrixinstall.host;

import java.io.InputStream;
import java.io.OutputStream;

/** A running command on a host, reached through its standard streams; closing it ends the command. */
public interface HostProcess extends AutoCloseable {

    /** What the command writes. */
    InputStream output();

    /** What the command reads. */
    OutputStream input();

    @Override
    void close();
}
