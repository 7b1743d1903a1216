#!/usr/bin/env python3
"""Crash and shutdown test of a running `ropa serve`, on SQLite and on PostgreSQL.

1. Crash: clients create data subject categories as fast as they can; the server is killed
   with SIGKILL mid-stream and started again. Every creation the server acknowledged must be
   there, the database must pass its integrity check (SQLite), and the audit trail must hold
   exactly one creation event per category, no more, no fewer.
2. Shutdown: with the database's write lock held from outside, so that the server's writes are
   surely in flight, the server gets SIGTERM; the lock is then released. Every request in flight
   must be answered, its change kept, and the server must exit 0; new connections are refused.

Only the standard library and `psql` (for PostgreSQL). Usage:

    python3 scripts/crash-test.py --binary target/debug/ropa [--backends sqlite,postgres]

Prints one line per check and a closing `N passed, N failed` line; exits 1 on any failure.
"""

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PG_SERVER = os.environ.get("ROPA_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")

RESULTS = []


def check(name, ok, detail=""):
    RESULTS.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{': ' + detail if detail else ''}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary, url, log):
        self.binary, self.url, self.log = binary, url, log
        self.port = free_port()
        self.process = None

    def start(self):
        env = dict(os.environ, ROPA_LOG="warn")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--database-url", self.url,
             "--listen", f"127.0.0.1:{self.port}", "--rate-limit", "0"],
            stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/readyz", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not become ready")

    def graphql(self, token, query, variables=None, timeout=60):
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/graphql", data=body, method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())


def ropa(binary, url, *args):
    out = subprocess.run([binary, *args, "--database-url", url], capture_output=True, text=True,
                         env=dict(os.environ, ROPA_LOG="error"))
    if out.returncode != 0:
        raise RuntimeError(f"ropa {' '.join(args)}: {out.stderr}")
    return out.stdout


CREATE = """mutation($i: CreateDataSubjectCategoryInput!) {
  createDataSubjectCategory(input: $i) { dataSubjectCategory { id key } } }"""


def organisation_id(server, token):
    data = server.graphql(token, '{ organisation(slug: "puuha") { id } }')
    return data["data"]["organisation"]["id"]


def create(server, token, org, key):
    variables = {"i": {"organisationId": org, "key": key,
                       "name": [{"language": "fi", "text": f"Testiryhmä {key}"}]}}
    response = server.graphql(token, CREATE, variables)
    if response.get("errors"):
        raise RuntimeError(json.dumps(response["errors"]))
    return response["data"]["createDataSubjectCategory"]["dataSubjectCategory"]["id"]


def stored_keys(server, token):
    keys, after = set(), None
    while True:
        data = server.graphql(
            token,
            'query($after: String) { organisation(slug: "puuha") { dataSubjectCategories(first: 100, after: $after) '
            '{ pageInfo { hasNextPage endCursor } nodes { key } } } }', {"after": after})
        page = data["data"]["organisation"]["dataSubjectCategories"]
        keys.update(n["key"] for n in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return keys
        after = page["pageInfo"]["endCursor"]


class Database:
    """A fresh database of one backend, and plain SQL on it from outside the server."""

    def __init__(self, backend, directory):
        self.backend = backend
        if backend == "sqlite":
            self.path = os.path.join(directory, "crash.db")
            self.url = f"sqlite://{self.path}"
        else:
            self.name = f"ropa_crash_{uuid.uuid4().hex}"
            self.psql("postgres", f'CREATE DATABASE "{self.name}"')
            self.url = f"{PG_SERVER}/{self.name}"

    def psql(self, database, sql):
        out = subprocess.run(["psql", f"{PG_SERVER}/{database}", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             capture_output=True, text=True, check=True)
        return out.stdout

    def query(self, sql):
        if self.backend == "sqlite":
            with sqlite3.connect(self.path) as db:
                return [tuple(str(v) for v in row) for row in db.execute(sql)]
        return [tuple(line.split("|")) for line in self.psql(self.name, sql).splitlines() if line]

    def integrity(self):
        if self.backend == "sqlite":
            return self.query("PRAGMA integrity_check")[0][0]
        return "ok"

    def hold_write_lock(self):
        """Takes the write lock from another connection; returns the function that lets it go."""
        if self.backend == "sqlite":
            db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            db.execute("BEGIN IMMEDIATE")
            return lambda: (db.execute("ROLLBACK"), db.close())
        session = subprocess.Popen(["psql", self.url, "-q", "-v", "ON_ERROR_STOP=1"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        session.stdin.write("BEGIN; LOCK TABLE data_subject_category IN EXCLUSIVE MODE; SELECT 'locked';\n")
        session.stdin.flush()
        session.stdout.readline()

        def release():
            session.stdin.write("ROLLBACK;\n\\q\n")
            session.stdin.flush()
            session.wait(timeout=30)
        return release

    def drop(self):
        if self.backend == "postgres":
            self.psql("postgres", f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def crash_test(binary, backend, directory, log, clients=8, seconds=3.0):
    db = Database(backend, directory)
    try:
        ropa(binary, db.url, "import", *sorted(
            os.path.join(ROOT, "demo", f) for f in os.listdir(os.path.join(ROOT, "demo")) if f.endswith(".yaml")))
        token = ropa(binary, db.url, "token", "create", "--organisation", "puuha", "--role", "admin",
                     "--name", "crash-test").strip()
        server = Server(binary, db.url, log)
        server.start()
        org = organisation_id(server, token)
        acknowledged, attempted, lock = [], [], threading.Lock()
        stop = threading.Event()

        def client(n):
            i = 0
            while not stop.is_set():
                key = f"crash-{n}-{i}"
                i += 1
                with lock:
                    attempted.append(key)
                try:
                    create(server, token, org, key)
                except (OSError, RuntimeError, ValueError):
                    return
                with lock:
                    acknowledged.append(key)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()
        for t in threads:
            t.join(timeout=60)
        check(f"{backend}: crash: clients wrote until the kill",
              len(acknowledged) > 0, f"{len(acknowledged)} acknowledged of {len(attempted)} sent")

        server.start()
        keys = {k for k in stored_keys(server, token) if k.startswith("crash-")}
        missing = sorted(set(acknowledged) - keys)
        check(f"{backend}: crash: every acknowledged change survived", not missing, f"missing {missing[:5]}")
        unknown = keys - set(attempted)
        check(f"{backend}: crash: nothing was stored that no client sent", not unknown, f"{sorted(unknown)[:5]}")
        check(f"{backend}: crash: the database passes its integrity check", db.integrity() == "ok", db.integrity())
        puuha = "(SELECT id FROM organisation WHERE slug = 'puuha')"
        stored = {row[0] for row in db.query(
            f"SELECT id FROM data_subject_category WHERE organisation_id = {puuha} AND key LIKE 'crash-%'")}
        events = [row[0] for row in db.query(
            "SELECT node_id FROM audit_event WHERE node_kind = 'data_subject_category' AND action = 'create' "
            f"AND organisation_id = {puuha} AND after IS NOT NULL AND node_id IN "
            "(SELECT id FROM data_subject_category WHERE key LIKE 'crash-%')")]
        orphans = db.query(
            "SELECT COUNT(*) FROM audit_event e WHERE e.node_kind = 'data_subject_category' AND e.action = 'create' "
            "AND NOT EXISTS (SELECT 1 FROM data_subject_category c WHERE c.id = e.node_id)")[0][0]
        check(f"{backend}: crash: the audit trail has one creation per stored category and none other",
              sorted(events) == sorted(stored) and len(events) == len(set(events)) and orphans == "0",
              f"{len(stored)} stored, {len(events)} events, {orphans} events without their node")
        shutdown_test(server, db, token, org, backend)
    finally:
        try:
            if server.process and server.process.poll() is None:
                server.process.kill()
                server.process.wait()
        except NameError:
            pass
        db.drop()


def shutdown_test(server, db, token, org, backend, in_flight=4):
    release = db.hold_write_lock()
    answers, lock = {}, threading.Lock()

    def client(n):
        key = f"term-{n}"
        try:
            create(server, token, org, key)
            outcome = "answered"
        except urllib.error.HTTPError as e:
            outcome = f"HTTP {e.code}"
        except (OSError, RuntimeError, ValueError) as e:
            outcome = f"failed: {e}"
        with lock:
            answers[key] = outcome

    threads = [threading.Thread(target=client, args=(n,)) for n in range(in_flight)]
    for t in threads:
        t.start()
    time.sleep(1.0)  # the requests are now waiting for the write lock
    started = time.time()
    server.process.send_signal(signal.SIGTERM)
    time.sleep(1.0)
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=2)
        refused = False
    except OSError:
        refused = True
    release()
    for t in threads:
        t.join(timeout=60)
    try:
        code = server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        code = None
    took = time.time() - started
    check(f"{backend}: SIGTERM: new connections are refused while in-flight requests finish", refused)
    check(f"{backend}: SIGTERM: every request in flight was answered",
          all(v == "answered" for v in answers.values()) and len(answers) == in_flight, json.dumps(answers))
    check(f"{backend}: SIGTERM: the server exited cleanly", code == 0, f"exit code {code} after {took:.1f} s")
    server.start()
    keys = stored_keys(server, token)
    check(f"{backend}: SIGTERM: the answered changes are stored",
          all(f"term-{n}" in keys for n in range(in_flight)))
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "debug", "ropa"))
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long clients write before the kill")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        log_path = os.path.join(directory, "server.log")
        with open(log_path, "w") as log:
            for backend in args.backends.split(","):
                try:
                    crash_test(args.binary, backend, directory, log, seconds=args.seconds)
                except Exception as e:  # a broken step fails the run, with its reason
                    check(f"{backend}: the test ran to its end", False, repr(e))
        failed = RESULTS.count(False)
        if failed:
            with open(log_path) as log:
                print("--- server log ---\n" + log.read()[-5000:])
    print(f"crash-test: {RESULTS.count(True)} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
