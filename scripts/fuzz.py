#!/usr/bin/env python3
"""Fuzzes the GraphQL endpoint of `ropa serve --demo` with generated queries and variables
(schemathesis's GraphQL mode), once per role and anonymously, and fails on any server error
(see scripts/fuzz_hooks.py for what counts as one) or any panic in the server's log.

    python3 scripts/fuzz.py --binary target/debug/ropa [--examples 5] [--seed N]

Installs schemathesis from PyPI when it is missing. Prints one line per role and a closing
`fuzz: N passed, N failed` line; exits 1 on any failure.
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_schemathesis():
    try:
        import schemathesis  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "schemathesis>=4,<5"], check=True)


def st_command():
    """The schemathesis command installed beside this interpreter (pip puts it there), or on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), "st")
    return beside if os.path.exists(beside) else "st"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(os.path.dirname(HERE), "target", "debug", "ropa"))
    parser.add_argument("--examples", type=int, default=5, help="test cases per operation and role")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    ensure_schemathesis()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as directory:
        port = free_port()
        log_path = os.path.join(directory, "server.log")
        log = open(log_path, "w")
        server = subprocess.Popen(
            [args.binary, "serve", "--demo", "--database-url", f"sqlite://{directory}/fuzz.db",
             "--listen", f"127.0.0.1:{port}", "--rate-limit", "0"],
            stdout=subprocess.PIPE, stderr=log, text=True, env=dict(os.environ, ROPA_LOG="warn"))
        try:
            tokens = {}
            deadline = time.time() + 120
            while time.time() < deadline:
                line = server.stdout.readline()
                if not line:
                    break
                match = re.match(r"\s+(demo-[a-z-]+)\s+(ropa_\S+)", line)
                if match:
                    tokens[match.group(1)] = match.group(2)
                if line.startswith("Published notices"):
                    break
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
                    break
                except OSError:
                    if time.time() > deadline or server.poll() is not None:
                        raise RuntimeError("the server did not start")
                    time.sleep(0.2)
            callers = sorted(tokens.items()) + [("anonymous", None)]
            for name, token in callers:
                command = [st_command(), "run", f"http://127.0.0.1:{port}/graphql", "--max-examples", str(args.examples),
                           "--seed", str(args.seed), "--phases", "examples,fuzzing", "--workers", "2",
                           "--checks", "no_server_error", "--no-color", "--generation-database", "none",
                           "--suppress-health-check", "all", "--warnings", "off"]
                if token:
                    command += ["-H", f"Authorization: Bearer {token}"]
                env = dict(os.environ, SCHEMATHESIS_HOOKS=os.path.join(HERE, "fuzz_hooks.py"))
                run = subprocess.run(command, capture_output=True, text=True, env=env, cwd=directory)
                cases = re.search(r"(\d+) generated", run.stdout)
                summary = f"{cases.group(1) if cases else '?'} generated cases"
                if run.returncode == 0:
                    passed += 1
                    print(f"ok   {name}: {summary}, no server error", flush=True)
                else:
                    failed += 1
                    print(f"FAIL {name}: {summary}\n{run.stdout[-6000:]}\n{run.stderr[-2000:]}", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        with open(log_path) as f:
            server_log = f.read()
        panics = [line for line in server_log.splitlines() if "panicked" in line]
        if panics:
            failed += 1
            print("FAIL the server log has panics:\n" + "\n".join(panics[:20]))
        else:
            passed += 1
            print("ok   the server log has no panic")
    print(f"fuzz: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
