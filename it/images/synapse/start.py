#!/opt/synapse-venv/bin/python
"""Entrypoint of the Synapse stand-in image.

Behaves like the official image's entrypoint (written from its documented behaviour):
  run (default)  exec Synapse with the config at SYNAPSE_CONFIG_PATH (default
                 /data/homeserver.yaml); fails clearly if that file is missing. As root it drops to
                 UID:GID (default 991:991) first.
  generate       writes homeserver.yaml, a console log config and the signing key into /data
                 (SYNAPSE_CONFIG_DIR / SYNAPSE_DATA_DIR), from SYNAPSE_SERVER_NAME and
                 SYNAPSE_REPORT_STATS, then hands /data to UID:GID.
Anything else is executed as a command (e.g. `bash`).
"""

import os
import subprocess
import sys

DEFAULT_LOG_CONFIG = """\
# Synapse log config written by the image's `generate` mode: everything to the console.
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s'
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
loggers:
  synapse.storage.SQL:
    level: INFO
root:
  level: {level}
  handlers: [console]
disable_existing_loggers: false
"""


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def log(message):
    print(message, file=sys.stderr, flush=True)


def ownership():
    """uid, gid to drop to, or None when not running as root (then we run as we are)."""
    if os.getuid() != 0:
        return None
    return int(os.environ.get("UID", "991")), int(os.environ.get("GID", "991"))


def drop_privileges(owner):
    if owner is None:
        return
    uid, gid = owner
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)


def chown_tree(path, owner):
    if owner is None:
        return
    uid, gid = owner
    for root, dirs, files in os.walk(path):
        for name in [root] + [os.path.join(root, n) for n in dirs + files]:
            os.lchown(name, uid, gid)


def config_path_from_env():
    return os.environ.get("SYNAPSE_CONFIG_PATH") or os.path.join(
        os.environ.get("SYNAPSE_CONFIG_DIR", "/data"), "homeserver.yaml"
    )


def run(extra_args):
    config_path = config_path_from_env()
    if not os.path.exists(config_path):
        fail(
            f"Config file '{config_path}' does not exist.\n\n"
            "Create one by running this image with the `generate` argument (and edit the "
            "result before starting), or point SYNAPSE_CONFIG_PATH at an existing config file."
        )
    app = os.environ.get("SYNAPSE_WORKER", "synapse.app.homeserver")
    args = [sys.executable, "-m", app, "--config-path", config_path] + extra_args
    drop_privileges(ownership())
    log(f"Starting Synapse: {' '.join(args)}")
    os.execv(sys.executable, args)


def generate():
    for name in ("SYNAPSE_SERVER_NAME", "SYNAPSE_REPORT_STATS"):
        if name not in os.environ:
            fail(f"Environment variable '{name}' is mandatory in `generate` mode.")
    server_name = os.environ["SYNAPSE_SERVER_NAME"]
    report_stats = os.environ["SYNAPSE_REPORT_STATS"]
    if report_stats not in ("yes", "no"):
        fail("SYNAPSE_REPORT_STATS must be 'yes' or 'no'.")
    config_dir = os.environ.get("SYNAPSE_CONFIG_DIR", "/data")
    data_dir = os.environ.get("SYNAPSE_DATA_DIR", "/data")
    config_path = config_path_from_env()
    owner = ownership()

    if os.path.exists(config_path):
        log(f"Config file '{config_path}' already exists; not generating a new one.")
        return
    os.makedirs(config_dir, exist_ok=True)
    os.makedirs(data_dir, exist_ok=True)

    # A console log config first: Synapse's own default would log to a file only.
    log_config = os.path.join(config_dir, f"{server_name}.log.config")
    if not os.path.exists(log_config):
        level = os.environ.get("SYNAPSE_LOG_LEVEL", "INFO")
        with open(log_config, "w") as f:
            f.write(DEFAULT_LOG_CONFIG.format(level=level))

    log(f"Generating config for {server_name} in {config_path}")
    subprocess.run(
        [
            sys.executable, "-m", "synapse.app.homeserver",
            "--server-name", server_name,
            "--report-stats", report_stats,
            "--config-path", config_path,
            "--config-directory", config_dir,
            "--data-directory", data_dir,
            "--generate-config",
            "--open-private-ports",
        ],
        check=True,
    )
    chown_tree(data_dir, owner)
    if config_dir != data_dir:
        chown_tree(config_dir, owner)


def main(argv):
    mode = argv[1] if len(argv) > 1 else "run"
    if mode == "run":
        run(argv[2:])
    elif mode == "generate":
        generate()
    else:
        os.execvp(argv[1], argv[1:])


if __name__ == "__main__":
    main(sys.argv)
