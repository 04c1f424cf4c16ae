package io.matrixinstall.update;

import io.matrixinstall.command.Commands;
import io.matrixinstall.host.ExecResult;
import io.matrixinstall.host.Host;
import java.util.List;

/** Registry digests of local images (their RepoDigests), read through the docker CLI. */
final class Digests {
    private Digests() {}

    /** Every digest ("sha256:...") the image is known under, in any repository. */
    static List<String> of(Host host, String image) {
        var command = Commands.imageRepoDigests(image);
        ExecResult result = host.exec(command).requireOk(command);
        try {
            String[] repoDigests = new com.fasterxml.jackson.databind.ObjectMapper().readValue(result.stdout(), String[].class);
            return repoDigests == null ? List.of()
                    : List.of(repoDigests).stream().map(d -> d.substring(d.indexOf('@') + 1)).distinct().toList();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return List.of();
        }
    }

    /** The digest to name an image by: its registry digest, else (built locally) its id. */
    static String name(Host host, String imageId) {
        return of(host, imageId).stream().findFirst().orElse(imageId);
    }

    /** "sha256:0123456789ab": enough to tell releases apart in one line. */
    static String shortForm(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }

    /** The hex part, for tags. */
    static String hex12(String digest) {
        return shortForm(digest).substring(digest.indexOf(':') + 1);
    }
}
