"""The "a new request arrived" e-mail: it says that, and nothing else.

No name, no address, no reason: only that a sealed request is waiting and
when it came. The practice reads it with ``make requests`` on its own
computer. Sent after the record is stored, in the background, so a slow
mail server never delays the visitor; a failure is logged in one line.

    INBOX_SMTP_HOST       mail server (unset: no e-mail)
    INBOX_SMTP_PORT       587 (25 for a local relay)
    INBOX_SMTP_STARTTLS   on (off only for a relay on this machine)
    INBOX_SMTP_USER, INBOX_SMTP_PASSWORD   optional login
    INBOX_NOTIFY_TO       the practice's address (required with a host)
    INBOX_NOTIFY_FROM     sender (default: INBOX_NOTIFY_TO)
"""

import email.message
import email.utils
import logging
import smtplib
import ssl
import threading
import time

log = logging.getLogger("inbox")

SUBJECT = "A new request arrived"
BODY = """A new request arrived at {when}.

It is sealed: this e-mail does not contain it. Read it on your own
computer with `make requests`.
"""


def message(settings, when=None):
    msg = email.message.EmailMessage()
    msg["Subject"] = SUBJECT
    msg["From"] = settings["from"]
    msg["To"] = settings["to"]
    msg["Date"] = email.utils.formatdate(when, localtime=False)
    msg["Message-ID"] = email.utils.make_msgid(domain="inbox.invalid")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(when))
    msg.set_content(BODY.format(when=stamp))
    return msg


def send(settings, when=None):
    with smtplib.SMTP(settings["host"], settings["port"], timeout=20) as smtp:
        if settings["starttls"]:
            smtp.starttls(context=ssl.create_default_context())
        if settings["user"]:
            smtp.login(settings["user"], settings["password"])
        smtp.send_message(message(settings, when))


def notify_in_background(settings, when=None):
    if not settings:
        return None

    def run():
        try:
            send(settings, when)
        except (OSError, smtplib.SMTPException) as exc:
            log.warning("the new-request e-mail could not be sent: %s", type(exc).__name__)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread
