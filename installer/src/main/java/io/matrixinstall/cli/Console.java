package io.matrixinstall.cli;

import java.io.PrintStream;

/** Where the agent talks to the operator: results on stdout, problems on stderr. */
public final class Console {
    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static Console system() {
        return new Console(System.out, System.err);
    }

    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** Progress of a long wait or pull; on stderr so stdout stays the list of changes. */
    public void progress(String text) {
        err.println("... " + text);
        err.flush();
    }

    /** A failure's stack trace (--verbose). */
    public void trace(Throwable failure) {
        failure.printStackTrace(err);
        err.flush();
    }

    public void problem(String text) {
        err.println(text);
        err.flush();
    }
}
