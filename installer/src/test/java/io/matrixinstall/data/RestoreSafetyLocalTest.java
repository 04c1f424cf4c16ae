package io.matrixinstall.data;

import io.matrixinstall.host.Host;
import io.matrixinstall.host.LocalHost;

/** {@link RestoreSafetyContract} on this machine. */
class RestoreSafetyLocalTest extends RestoreSafetyContract {
    @Override
    Host host() {
        return new LocalHost(tree.resolve("run"));
    }
}
