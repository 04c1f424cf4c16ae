package io.matrixinstall.secrets;

/** The generated secrets, each one file under the secrets directory (root:root 0600). */
public enum Secret {
    POSTGRES_PASSWORD("postgres_password"),
    REGISTRATION_SHARED_SECRET("registration_shared_secret"),
    MACAROON_SECRET_KEY("macaroon_secret_key"),
    FORM_SECRET("form_secret");

    private final String fileName;

    Secret(String fileName) {
        this.fileName = fileName;
    }

    public String fileName() {
        return fileName;
    }
}
