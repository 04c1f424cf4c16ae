package io.matrixinstall.data;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a backup directory holds, written last (a directory without it is no backup): versions, the server name it
 * belongs to, and each part's size and SHA-256, which `restore` checks before it changes anything.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Manifest(@JsonProperty("format") int format, @JsonProperty("product") String product,
        @JsonProperty("created") String created, @JsonProperty("server_name") String serverName,
        @JsonProperty("domain") String domain, @JsonProperty("synapse_version") String synapseVersion,
        @JsonProperty("postgres_version") String postgresVersion, @JsonProperty("parts") List<Part> parts) {
    public static final String FILE = "manifest.json";
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A part's name is a relative path inside the backup: no "..", no absolute path, nothing a shell would need quoted. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+@-]*(/[A-Za-z0-9_][A-Za-z0-9._+@-]*)*");

    /**
     * @param name   where it is inside the backup, e.g. {@code database.dump}, {@code secrets/form_secret}
     * @param source where it came from on the host (for the reader; restore puts each part where this install wants it)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Part(@JsonProperty("name") String name, @JsonProperty("source") String source,
            @JsonProperty("bytes") long bytes, @JsonProperty("sha256") String sha256) {}

    public Manifest {
        parts = parts == null ? List.of() : List.copyOf(parts);
    }

    public Optional<Part> part(String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public long totalBytes() {
        return parts.stream().mapToLong(Part::bytes).sum();
    }

    public byte[] toJson() {
        try {
            return (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and checks a manifest; a message (for one line) when it is not one this version can restore. */
    public static Manifest parse(byte[] json) {
        Manifest manifest;
        try {
            manifest = JSON.readValue(json, Manifest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a readable manifest (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a readable manifest (" + e.getMessage() + ")");
        }
        if (manifest.format() != FORMAT) {
            throw new IllegalArgumentException("manifest format " + manifest.format() + " is not " + FORMAT);
        }
        if (manifest.serverName() == null || manifest.serverName().isBlank()) {
            throw new IllegalArgumentException("the manifest names no server_name");
        }
        for (Part part : manifest.parts()) {
            if (part.name() == null || !NAME.matcher(part.name()).matches() || part.name().contains("..")) {
                throw new IllegalArgumentException("the manifest names a part outside the backup: " + part.name());
            }
            if (part.sha256() == null || !part.sha256().matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("the manifest has no SHA-256 for " + part.name());
            }
        }
        return manifest;
    }
}
