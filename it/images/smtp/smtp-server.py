"""Test SMTP server on SMTP_PORT (default 25): AUTH PLAIN/LOGIN against SMTP_USER/SMTP_PASSWORD, messages saved to /mail."""
import itertools
import os
import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = os.environ["SMTP_USER"].encode()
PASSWORD = os.environ["SMTP_PASSWORD"].encode()
COUNTER = itertools.count(1)
PORT = int(os.environ.get("SMTP_PORT", "25"))


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER and auth_data.password == PASSWORD
    print("smtp: AUTH %s %s" % (mechanism, "accepted" if ok else "refused"), flush=True)
    # handled=False: aiosmtpd answers a refusal itself (535); True would mean this function had replied.
    return AuthResult(success=ok, handled=False)


class Store:
    async def handle_DATA(self, server, session, envelope):
        path = "/mail/%d.eml" % next(COUNTER)
        with open(path + ".tmp", "wb") as out:
            out.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        print("smtp: stored %s for %s" % (path, ",".join(envelope.rcpt_tos)), flush=True)
        return "250 OK"


# auth_require_tls=False: the test runs without TLS (mail.tls none); AUTH is still required before MAIL.
controller = Controller(Store(), hostname="0.0.0.0", port=PORT, authenticator=authenticator,
                        auth_required=True, auth_require_tls=False)
controller.start()
print("smtp: listening on %d" % PORT, flush=True)
stop = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: stop.set())
stop.wait()
controller.stop()
