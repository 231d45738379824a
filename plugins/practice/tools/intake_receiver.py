"""A small reference receiver for the request form, for trying it locally.

It accepts the form's POST, checks it with the same rules as the page
(``plugins/practice/intake.py``, fields from ``content/practice.yaml``) and
answers with a plain page: "Thank you" or the list of problems (the GOV.UK
error summary, for browsers without JavaScript). Accepted requests are
printed to the terminal; nothing is stored. It listens on 127.0.0.1 only.

It is not a production service: a live site posts to a form service or a
receiver of its own, over https, which must apply the same checks.

Usage: python -m practice.tools.intake_receiver [--port 8001] [--profile content/practice.yaml]
Then set ``intake.endpoint: http://127.0.0.1:8001/`` and run ``make serve``.
"""

import argparse
import html
import http.server
import os
import sys
from urllib.parse import parse_qsl

from practice.core.errors import ContentError
from practice.core.intake import check_submission
from practice.core.profile import load_profile
from practice.tools.loopback import LoopbackServer

MAX_BODY = 64 * 1024
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{title}</title></head>
<body><main>{body}</main></body></html>"""


class Receiver(LoopbackServer):
    """Receives form posts on 127.0.0.1:port; keeps the accepted ones in ``received``."""

    def __init__(self, fields, port=0, on_accept=None):
        self.fields = fields
        self.received = []  # accepted submissions: lists of (name, value)
        self.rejected = []  # (pairs, errors)
        self.on_accept = on_accept
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self.reply(405, "Method not allowed", "<p>The form sends its data with POST.</p>",
                           {"Allow": "POST"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                if length > MAX_BODY:
                    self.reply(413, "Too large", "<p>The request is too large.</p>")
                    return
                kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
                if kind != "application/x-www-form-urlencoded":
                    self.reply(415, "Unsupported", "<p>Send the form as a normal form post.</p>")
                    return
                body = self.rfile.read(length).decode("utf-8", "replace")
                pairs = parse_qsl(body, keep_blank_values=True)
                errors = check_submission(receiver.fields, pairs)
                if errors:
                    receiver.rejected.append((pairs, errors))
                    items = "".join(f"<li>{html.escape(m)}</li>" for _, m in errors)
                    self.reply(422, "Error: there is a problem",
                               '<div role="alert"><h1>There is a problem</h1>'
                               f"<ul>{items}</ul></div>"
                               "<p>Go back to the form, correct the answers and send it again.</p>")
                    return
                receiver.received.append(pairs)
                if receiver.on_accept:
                    receiver.on_accept(pairs)
                self.reply(200, "Request received",
                           "<h1>Thank you</h1><p>We have received your request and will reply soon.</p>")

            def reply(self, code, title, body, headers=None):
                data = PAGE.format(title=html.escape(title), body=body).encode("utf-8")
                self.send_response(code)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        super().__init__(Handler, port)
        self.url += "/"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--profile", default=os.path.join("content", "practice.yaml"))
    args = parser.parse_args()
    try:
        fields = load_profile(args.profile)["intake"]["fields"]
    except ContentError as exc:
        sys.exit(f"error: {exc.line()}")

    def show(pairs):
        print("Request received:")
        for name, value in pairs:
            print(f"  {name}: {value}")
        sys.stdout.flush()

    with Receiver(fields, args.port, on_accept=show) as receiver:
        print(f"Receiving the request form at {receiver.url} (Ctrl-C stops)")
        try:
            receiver.thread.join()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
