#!/usr/bin/env python3
"""The read benchmark over real HTTP: the release binary as its own process, data sets S and M,
SQLite and PostgreSQL. Method and results: bench/README.md.

    cargo build --release && python3 bench/read_api.py [--sets S,M] [--backends sqlite,postgres]
        [--seconds 10] [--clients 1,16]

For each backend and data set it imports one organisation (5 registers; S: 20 activities each,
M: 400 each, so 2,000 in all; every activity linked to 3 recipients, 2 transfers and 4 personal
data categories), starts `ropa serve` on a free port, makes an auditor token, and runs, for each
client count, closed-loop clients (each waits for its answer before it sends the next request)
for the given seconds, first the nested read, then `{ __typename }`. It reports requests/s,
p50/p99 latency, the service's CPU per request (utime + stime of the child process from
/proc/PID/stat, over the run), and SQL statements per request (the service's
`ropa_sql_statements` counter from /metrics, over the run).
"""

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")

NESTED = """query Nested {
  organisation(slug: "bench") {
    slug name
    registers(first: 5) {
      nodes {
        slug kind status name { text(language: FI) { text } }
        activities(first: 20) {
          nodes {
            key legalBasis version name { text(language: FI) { text } } purpose { text(language: FI) { text } }
            recipients(first: 3) { nodes { key kind name { text(language: FI) { text } } } }
            transfers(first: 2) { nodes { country mechanism destinationInEea } }
            personalDataCategories(first: 4) { nodes { key kind name { text(language: FI) { text } } } }
          }
        }
      }
    }
  }
}"""

TYPENAME = "{ __typename }"


def document(per_register):
    recipients = [
        {"key": f"r{i}", "name": f"Vastaanottaja {i}", "kind": kind}
        for i, kind in enumerate(["processor", "third_party", "authority", "internal", "group_company", "processor"])
    ]
    categories = [
        {"key": f"c{i}", "name": f"Tietoryhmä {i}", "kind": "ordinary"} for i in range(8)
    ]
    registers = []
    for r in range(5):
        activities = []
        for a in range(per_register):
            n = r * per_register + a
            rec = [f"r{(n + k) % len(recipients)}" for k in range(3)]
            activities.append({
                "key": f"a{a}",
                "name": f"Käsittely {n}",
                "purpose": f"Tarkoitus {n}: asiakassuhteen hoito",
                "legal_basis": "contract",
                "recipients": rec,
                "data_categories": [f"c{(n + k) % len(categories)}" for k in range(4)],
                "transfers": [
                    {"recipient": rec[0], "country": "US", "mechanism": "standard_contractual_clauses"},
                    {"recipient": rec[1], "country": "IN", "mechanism": "standard_contractual_clauses"},
                ],
            })
        registers.append({
            "slug": f"rekisteri-{r}", "name": f"Rekisteri {r}", "kind": "customer",
            "activities": activities,
        })
    return {
        "organisation": {"slug": "bench", "name": "Mittaus Oy", "country": "FI",
                         "business_id": "1234567-1"},
        "recipients": recipients,
        "personal_data_categories": categories,
        "registers": registers,
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def statements(port):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", "/metrics")
    body = c.getresponse().read().decode()
    c.close()
    for line in body.splitlines():
        if line.startswith("ropa_sql_statements_total "):
            return float(line.split()[1])
    return 0.0


def load(port, token, query, clients, seconds):
    body = json.dumps({"query": query}).encode()
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    latencies = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(i):
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            started = time.perf_counter()
            c.request("POST", "/graphql", body, headers)
            r = c.getresponse()
            data = r.read()
            latencies[i].append(time.perf_counter() - started)
            if r.status != 200 or b'"errors"' in data[:64]:
                errors[i] += 1
        c.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    all_latencies = sorted(x for l in latencies for x in l)
    return all_latencies, sum(errors)


def run(binary, backend, dataset, per_register, args, workdir):
    if backend == "sqlite":
        url = f"sqlite://{workdir}/bench-{dataset}.db"
    else:
        dbname = f"ropa_bench_{dataset.lower()}_{os.getpid()}"
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {dbname}"], check=True)
        subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {dbname}"], check=True)
        url = f"postgres://postgres@127.0.0.1:5432/{dbname}"
    path = os.path.join(workdir, f"bench-{dataset}.json")
    with open(path, "w") as f:
        json.dump(document(per_register), f)
    env = dict(os.environ, ROPA_DATABASE_URL=url)
    subprocess.run([binary, "import", path], check=True, env=env, stdout=subprocess.DEVNULL)
    token = subprocess.run(
        [binary, "token", "create", "--organisation", "bench", "--role", "auditor", "--name", "bench"],
        check=True, env=env, capture_output=True, text=True).stdout.strip().split()[-1]
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve", "--listen", f"127.0.0.1:{port}", "--rate-limit", "100000000",
         "--address-rate-limit", "100000000"],
        env=dict(env, RUST_LOG=os.environ.get("RUST_LOG", "info")),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        c = http.client.HTTPConnection("127.0.0.1", port)
        c.request("POST", "/graphql", json.dumps({"query": NESTED}),
                  {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        answer = json.loads(c.getresponse().read())
        c.close()
        if answer.get("errors"):
            sys.exit(f"the nested read fails: {json.dumps(answer)[:1000]}")
        # Warm up: the first requests fill the connection pool and the policy's memory.
        load(port, token, NESTED, 2, 1)
        size = None
        for name, query in (("nested", NESTED), ("__typename", TYPENAME)):
            for clients in args.clients:
                cpu0, st0 = cpu_seconds(server.pid), statements(port)
                latencies, errors = load(port, token, query, clients, args.seconds)
                cpu1, st1 = cpu_seconds(server.pid), statements(port)
                n = len(latencies)
                if size is None:
                    c = http.client.HTTPConnection("127.0.0.1", port)
                    c.request("POST", "/graphql", json.dumps({"query": NESTED}),
                              {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
                    size = len(c.getresponse().read())
                    c.close()
                rows.append({
                    "backend": backend, "set": dataset, "query": name, "clients": clients,
                    "requests": n, "rps": n / args.seconds,
                    "p50_ms": 1000 * latencies[n // 2] if n else 0,
                    "p99_ms": 1000 * latencies[min(n - 1, n * 99 // 100)] if n else 0,
                    "cpu_ms": 1000 * (cpu1 - cpu0) / n if n else 0,
                    # The two /metrics reads send no SQL.
                    "statements": (st1 - st0) / n if n else 0,
                    "errors": errors,
                })
                print(fmt(rows[-1]), flush=True)
        print(f"# {backend} {dataset}: nested answer {size} bytes", flush=True)
    finally:
        server.terminate()
        server.wait()
        if backend == "postgres":
            subprocess.run(["psql", "-q", "-h", "127.0.0.1", "-U", "postgres", "-c", f"DROP DATABASE IF EXISTS {dbname}"])
    return rows


def fmt(r):
    return (f"| {r['backend']:<8} | {r['set']} | {r['query']:<10} | {r['clients']:>3} | {r['rps']:>8.1f} | "
            f"{r['p50_ms']:>7.2f} | {r['p99_ms']:>7.2f} | {r['cpu_ms']:>6.2f} | {r['statements']:>5.2f} | {r['errors']} |")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--binary", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "ropa"))
    p.add_argument("--sets", default="S,M")
    p.add_argument("--backends", default="sqlite,postgres")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--clients", default="1,16")
    args = p.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    if not os.path.exists(args.binary):
        sys.exit(f"no binary at {args.binary}: cargo build --release first")
    print("| backend  | set | query      | clients | req/s | p50 ms | p99 ms | CPU ms/req | SQL/req | errors |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    workdir = tempfile.mkdtemp(prefix="ropa-bench-")
    try:
        for backend in args.backends.split(","):
            for dataset in args.sets.split(","):
                run(args.binary, backend, dataset, {"S": 20, "M": 400}[dataset], args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
