"""`make serve`: build the preview, serve it, and keep it up to date.

    python -m practice.tools.serve [--port 8000] [--output var/preview] [--no-comments]

1. The builder (practice.tools.watch, a child process) builds the site into the
   preview folder, its own (``var/preview/``; `make publish` writes
   ``output/``, so neither ever touches the other). A mistake in the first
   build prints its one line and stops here.
2. The preview server (practice.tools.devserver, in this process) serves that
   folder on 127.0.0.1:PORT: one "Serving at" line.
3. The other services start, each announced only once it answers: the
   development comment server (Isso, on COMMENTS_PORT, default 8080) and
   the development intake inbox (on INBOX_PORT, default 8001), to which the
   preview's request form posts, sealed to a development key made once in
   var/: `make requests` shows what the form sent (--no-inbox: without it).
4. After each save the builder rebuilds; open pages reload themselves, or
   show the one-line error over the page (and here) until the next save.

Ctrl-C, SIGTERM (to this process or its process group) and SIGHUP stop
every child, each with its whole process group; each child also dies with
this process if it is killed outright (Linux's parent-death signal).
"""

import argparse
import contextlib
import ctypes
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

from practice.tools import comments, devserver

PR_SET_PDEATHSIG = 1
try:
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError):  # not Linux: the other stop paths remain
    _prctl = None


def die_with_parent(parent_pid):
    """Ask the kernel to send SIGTERM when the parent dies (Linux)."""
    def preexec():
        if _prctl is not None:
            _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)
    return preexec


class Child:
    """A process started in a process group of its own, stopped group and all."""

    def __init__(self, name, argv, **popen):
        self.name = name
        self.process = subprocess.Popen(
            argv, start_new_session=True, preexec_fn=die_with_parent(os.getpid()), **popen)

    def alive(self):
        return self.process.poll() is None

    def stop(self, timeout=10):
        process = self.process
        group = process.pid  # start_new_session: the group id is the child's pid
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(group, signal.SIGKILL)
                process.wait()
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)  # anything the child left in its group


class Service:
    """One server started next to the preview.

    ``start(site_url)`` returns a Child, ``ready(child)`` waits until it
    answers (True/False), ``announce`` is printed once it does and
    ``failed`` if it does not. Further services (an intake inbox ...) are
    one more entry in ``services()``.
    """

    def __init__(self, name, start, ready, announce, failed):
        self.name, self.start, self.ready = name, start, ready
        self.announce, self.failed = announce, failed


# Isso's routine start-up lines (INFO) stay in its log file; anything else
# it prints (warnings, the moderation links of `notify = stdout`) is shown.
ROUTINE = re.compile(r"^\d{4}-\d\d-\d\d [\d:,]+:INFO:")


def relay(stream, log_path, prefix):
    """Copy a child's output to its log file, and all but routine lines here."""
    signal.pthread_sigmask(signal.SIG_BLOCK, devserver.STOP_SIGNALS)  # main thread's
    with open(log_path, "a", encoding="utf-8") as log:
        for line in iter(stream.readline, ""):
            log.write(line)
            log.flush()
            if not ROUTINE.match(line):
                print(f"{prefix}{line}", end="", flush=True)


def comment_service(port):
    log_path = os.path.join("var", "comments", "isso.log")

    def start(site_url):
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        site = "\n".join({site_url, site_url.replace("127.0.0.1", "localhost")})
        child = Child("comments", [comments.isso_command(), "-c", comments.DEV_CONFIG, "run"],
                      env=comments.environment(port, site, comments.DEV_DB),
                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=relay, args=(child.process.stdout, log_path, "comments: "),
                         daemon=True).start()
        return child

    return Service(
        "comments", start,
        ready=lambda child: comments.wait_until_ready(f"http://127.0.0.1:{port}", child.process),
        announce=f"Comments at http://127.0.0.1:{port}/ (moderation: /admin/)",
        failed=f"comments: the comment server did not start on port {port} (see {log_path}); "
               "the preview works without it",
    )


def connect_inbox(port):
    """Point the preview's request form at the development inbox (the
    builder reads these two, pelicanconf.py); returns the development
    key's public key, made once under var/."""
    from practice.inbox.cli import dev_key
    from practice.inbox.keys import b64

    public_key = b64(dev_key())
    os.environ["INTAKE_DEV_ENDPOINT"] = f"http://127.0.0.1:{port}/requests"
    os.environ["INTAKE_DEV_PUBLIC_KEY"] = public_key
    return public_key


def inbox_service(port, public_key):
    log_path = os.path.join("var", "inbox.log")

    def start(site_url):
        os.makedirs("var", exist_ok=True)
        env = dict(os.environ, INBOX_PORT=str(port), INBOX_SITE_URL=site_url, INBOX_PUBLIC_KEY=public_key)
        with open(log_path, "ab") as log:
            return Child("inbox", [sys.executable, "-m", "practice.inbox", "run"], env=env,
                         stdout=log, stderr=subprocess.STDOUT)

    def ready(child, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and child.alive():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as r:
                    return r.status == 200
            except OSError:
                time.sleep(0.2)
        return False

    return Service(
        "inbox", start, ready,
        announce=f"Intake inbox at http://127.0.0.1:{port}/requests (make requests shows what the form sent)",
        failed=f"inbox: the intake inbox did not start on port {port} (see {log_path}); "
               "the request form will not be received",
    )


def services(args, inbox_key=None):
    found = []
    if not args.no_comments:
        found.append(comment_service(args.comments_port))
    if inbox_key:
        found.append(inbox_service(args.inbox_port, inbox_key))
    return found


def read_status(stream):
    """The builder's next status message, or None when it has stopped."""
    for line in iter(stream.readline, ""):
        with contextlib.suppress(ValueError):
            return json.loads(line)
    return None


def print_errors(lines):
    for line in lines:
        print(f"error: {line}", file=sys.stderr, flush=True)


def _stop_on_signal(signum, frame):
    raise SystemExit(0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--bind", default="127.0.0.1")
    parser.add_argument("--settings", default="pelicanconf.py")
    parser.add_argument("--output", default=os.path.join("var", "preview"))
    parser.add_argument("--comments-port", type=int,
                        default=int(os.environ.get("COMMENTS_PORT", 8080)))
    parser.add_argument("--no-comments", action="store_true",
                        help="do not start the comment server")
    parser.add_argument("--inbox-port", type=int, default=int(os.environ.get("INBOX_PORT") or 8001))
    parser.add_argument("--no-inbox", action="store_true", help="do not start the intake inbox")
    args = parser.parse_args(argv)
    inbox_key = None if args.no_inbox else connect_inbox(args.inbox_port)

    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGHUP, _stop_on_signal)
    if _prctl is not None:  # if whatever started us (make) is killed, stop too
        _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)

    children, server = [], None
    state = devserver.BuildState()
    try:
        try:  # the port first: a busy port is found before a whole build
            server = devserver.PreviewServer(args.output, state, args.bind, args.port)
        except OSError as exc:
            print(f"error: {args.bind}:{args.port}: cannot serve there ({exc.strerror}); "
                  "choose another port: PORT=8001 make serve", file=sys.stderr)
            return 2
        status_read, status_write = os.pipe()
        builder = Child("builder", [sys.executable, "-m", "practice.tools.watch",
                                    "--settings", args.settings, "--output", args.output,
                                    "--status-fd", str(status_write)],
                        pass_fds=(status_write,), stdout=subprocess.DEVNULL)
        children.append(builder)
        os.close(status_write)
        status = os.fdopen(status_read, "r", encoding="utf-8")

        first = read_status(status)
        if first is None or first["event"] != "built":
            print_errors(first["lines"] if first else ["the preview builder stopped"])
            print("fix the error above and run make serve again", file=sys.stderr)
            return 2

        print(f"Built the preview in {first['seconds']:.1f} s", flush=True)
        server.start()
        site_url = f"http://{args.bind}:{args.port}"
        print(f"Serving at {site_url}/ (Ctrl-C to stop)", flush=True)

        for service in services(args, inbox_key):
            child = service.start(site_url)
            children.append(child)
            print(service.announce if service.ready(child) else service.failed, flush=True)

        while True:
            message = read_status(status)
            if message is None:
                print("error: the preview builder stopped; run make serve again",
                      file=sys.stderr)
                return 1
            if message["event"] == "built":
                state.built(message.get("files"))
                if message.get("quick"):
                    count = len(message.get("files") or ())
                    print(f"Updated {count} page{'s' if count != 1 else ''} in "
                          f"{message['seconds']:.1f} s; rebuilding the rest ...", flush=True)
                else:
                    print(f"Rebuilt in {message['seconds']:.1f} s", flush=True)
            elif message["event"] == "error":
                state.failed(message["lines"])
                print_errors(message["lines"])
                print("the preview keeps its last good build; fix the error and save",
                      file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        return 0
    finally:
        # Stopping must not be interrupted by a second Ctrl-C or SIGTERM.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for child in reversed(children):
            child.stop()
        if server is not None:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
